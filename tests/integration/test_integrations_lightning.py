"""heron.integrations.lightning.HeronLogger with a real Lightning Trainer, as TensorBoardLogger."""

import textwrap

import pytest

from ._series import has_module, run_script, scalar_values, series_of

pytestmark = pytest.mark.skipif(
    not (has_module("lightning") and has_module("torch")), reason="needs lightning and torch"
)

TRAIN = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("ignore")
    import lightning, torch
    from heron.integrations.lightning import HeronLogger

    class Regressor(lightning.LightningModule):
        def __init__(self, hidden=4, lr=0.05):
            super().__init__()
            self.save_hyperparameters()
            self.net = torch.nn.Sequential(torch.nn.Linear(3, hidden), torch.nn.Linear(hidden, 1))
            self.example_input_array = torch.zeros(2, 3)

        def forward(self, x):
            return self.net(x)

        def training_step(self, batch, batch_index):
            x, y = batch
            loss = torch.nn.functional.mse_loss(self(x), y)
            self.log("train_loss", loss)
            return loss

        def validation_step(self, batch, batch_index):
            x, y = batch
            self.log("val_loss", torch.nn.functional.mse_loss(self(x), y))

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)

    def loader(seed):
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn(32, 3, generator=generator)
        dataset = torch.utils.data.TensorDataset(x, x.sum(dim=1, keepdim=True))
        return torch.utils.data.DataLoader(dataset, batch_size=4)

    root = sys.argv[1]
    logger = HeronLogger(root, log_graph=True)
    trainer = lightning.Trainer(
        max_epochs=2, logger=logger, log_every_n_steps=2, accelerator="cpu",
        enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
    )
    trainer.fit(Regressor(), loader(0), loader(1))

    other = HeronLogger(root, name="exp", version="a", prefix="fold1")
    other.log_metrics({"loss": 0.5, "acc": {"train": 0.75, "val": 0.5}}, step=3)
    other.finalize("success")
    print(json.dumps({
        "log_dir": logger.log_dir,
        "val_loss": float(trainer.logged_metrics["val_loss"]),
        "next_version": HeronLogger(root).version,
    }))
    """
)


@pytest.mark.slow
def test_logger_writes_metrics_hparams_and_graph_like_tensorboard_logger(tmp_path):
    report = run_script(TRAIN, str(tmp_path))
    version_dir = tmp_path / "lightning_logs" / "version_0"
    assert report["log_dir"] == str(version_dir)
    assert (version_dir / "hparams.yaml").read_text().split() == ["hidden:", "4", "lr:", "0.05"]
    assert report["next_version"] == 1  # the next free version_<n>, as Lightning numbers them

    db = tmp_path / "index.db"
    found = series_of(tmp_path, db)
    run = "lightning_logs/version_0"
    # 8 batches an epoch, 16 steps, logged every 2nd.
    assert found[(run, "train_loss")] == ("scalars", 8, 15)
    assert found[(run, "val_loss")][:2] == ("scalars", 2)
    assert found[(run, "epoch")][0] == "scalars"
    assert found[(run, "hp_metric")] == ("scalars", 1, 0)
    assert found[(run, "__run_graph__")][0] == "graphs"
    assert [value for _, value in scalar_values(tmp_path, db, run, "hp_metric")] == [-1.0]
    assert scalar_values(tmp_path, db, run, "val_loss")[-1][1] == pytest.approx(report["val_loss"])

    import heron

    with heron.open(tmp_path, db=db, progress=False) as experiment:
        (summary,) = experiment.run_summaries([run])
    assert summary.hparams == {"hidden": 4.0, "lr": 0.05}

    # prefix, and a dict of metrics drawn as sub-runs (add_scalars), as TensorBoardLogger does.
    assert found[("exp/a", "fold1-loss")] == ("scalars", 1, 3)
    assert found[("exp/a/fold1-acc_train", "fold1-acc")] == ("scalars", 1, 3)
