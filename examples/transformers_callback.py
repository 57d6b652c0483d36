"""A Hugging Face ``Trainer`` with Heron, on a tiny randomly initialised model (no download).

A one-layer BERT built from a config learns a toy task on random token ids;
``heron.integrations.transformers.HeronCallback`` logs ``train/loss``,
``train/learning_rate``, ``train/grad_norm``, ``eval/...``, the training
arguments and the model config.

    python examples/transformers_callback.py --logdir logs/transformers
    heron --logdir logs/transformers
"""

from __future__ import annotations

import argparse
import tempfile

import torch
import transformers

from heron.integrations.transformers import HeronCallback


class ParityTokens(torch.utils.data.Dataset):
    """Random token ids labelled by whether the first one is even."""

    def __init__(self, size: int, seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.ids = torch.randint(0, 64, (size, 16), generator=generator)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> dict:
        ids = self.ids[index]
        return {"input_ids": ids, "labels": int(ids[0]) % 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="logs/transformers")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    config = transformers.BertConfig(
        vocab_size=64, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=32, num_labels=2,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as output_dir:
        training = transformers.TrainingArguments(
            output_dir=output_dir, num_train_epochs=args.epochs, per_device_train_batch_size=32,
            logging_steps=2, eval_strategy="epoch", save_strategy="no", report_to="none",
            use_cpu=True, disable_tqdm=True, seed=0,
        )  # fmt: skip
        trainer = transformers.Trainer(
            model=transformers.BertForSequenceClassification(config),
            args=training,
            train_dataset=ParityTokens(256, 0),
            eval_dataset=ParityTokens(64, 1),
            callbacks=[HeronCallback(args.logdir)],
        )
        trainer.train()
    print(f"logged to {args.logdir}; view with: heron --logdir {args.logdir}")


if __name__ == "__main__":
    main()
