"""PyTorch Lightning with Heron: ``HeronLogger`` where ``TensorBoardLogger`` was.

Trains a small classifier on scikit-learn's digits; metrics, hyperparameters
(with ``hp_metric``) and the model graph land in ``<logdir>/lightning_logs/version_<n>``.

    python examples/lightning_logger.py --logdir logs/lightning
    heron --logdir logs/lightning
"""

from __future__ import annotations

import argparse

import lightning
import torch
from sklearn.datasets import load_digits

from heron.integrations.lightning import HeronLogger


class DigitClassifier(lightning.LightningModule):
    def __init__(self, hidden: int = 32, lr: float = 0.01) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
        )
        self.example_input_array = torch.zeros(1, 64)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def training_step(self, batch: tuple, batch_index: int) -> torch.Tensor:
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self(x), y)
        self.log("loss/train", loss)
        return loss

    def validation_step(self, batch: tuple, batch_index: int) -> None:
        x, y = batch
        logits = self(x)
        self.log("loss/validation", torch.nn.functional.cross_entropy(logits, y))
        self.log("hp_metric", (logits.argmax(dim=1) == y).float().mean())

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="logs/lightning")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    lightning.seed_everything(0, verbose=False)
    digits = load_digits()
    features = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    labels = torch.tensor(digits.target)
    train = torch.utils.data.TensorDataset(features[:1400], labels[:1400])
    valid = torch.utils.data.TensorDataset(features[1400:], labels[1400:])
    trainer = lightning.Trainer(
        max_epochs=args.epochs,
        logger=HeronLogger(args.logdir, log_graph=True),
        log_every_n_steps=5,
        accelerator="cpu",
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
    )
    trainer.fit(
        DigitClassifier(),
        torch.utils.data.DataLoader(train, batch_size=64, shuffle=True),
        torch.utils.data.DataLoader(valid, batch_size=256),
    )
    print(f"logged to {trainer.logger.log_dir}; view with: heron --logdir {args.logdir}")


if __name__ == "__main__":
    main()
