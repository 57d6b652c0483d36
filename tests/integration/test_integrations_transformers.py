"""heron.integrations.transformers.HeronCallback with a real Trainer and a tiny random model."""

import textwrap

import pytest

from ._series import has_module, run_script, scalar_values, series_of

pytestmark = pytest.mark.skipif(
    not all(has_module(name) for name in ("transformers", "torch", "accelerate")),
    reason="needs transformers, torch and accelerate",
)

TRAIN = textwrap.dedent(
    """
    import json, sys
    import torch, transformers
    from heron.integrations.transformers import HeronCallback

    class Tokens(torch.utils.data.Dataset):
        # Random token ids labelled by whether the first token is even: nothing to download.
        def __init__(self, size, seed):
            generator = torch.Generator().manual_seed(seed)
            self.ids = torch.randint(0, 32, (size, 8), generator=generator)

        def __len__(self):
            return len(self.ids)

        def __getitem__(self, index):
            ids = self.ids[index]
            return {"input_ids": ids, "labels": int(ids[0]) % 2}

    config = transformers.BertConfig(
        vocab_size=32, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=16, max_position_embeddings=16, num_labels=2,
    )
    args = transformers.TrainingArguments(
        output_dir=sys.argv[2], per_device_train_batch_size=8, num_train_epochs=2,
        logging_steps=2, eval_strategy="epoch", report_to="none", save_strategy="no",
        use_cpu=True, disable_tqdm=True, seed=0,
    )
    trainer = transformers.Trainer(
        model=transformers.BertForSequenceClassification(config), args=args,
        train_dataset=Tokens(32, 0), eval_dataset=Tokens(16, 1),
        callbacks=[HeronCallback(sys.argv[1])],
    )
    trainer.train()
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    print(json.dumps({"losses": losses}))
    """
)


@pytest.mark.slow
def test_trainer_logs_losses_learning_rate_and_evaluation(tmp_path):
    logdir = tmp_path / "logs"
    report = run_script(TRAIN, str(logdir), str(tmp_path / "out"))
    db = tmp_path / "index.db"
    found = series_of(logdir, db)
    # 32 samples / 8 = 4 steps an epoch, 8 in all, logged every 2nd step.
    assert found[(".", "train/loss")] == ("scalars", 4, 8)
    assert found[(".", "train/learning_rate")][:2] == ("scalars", 4)
    assert found[(".", "eval/loss")] == ("scalars", 2, 8)
    assert found[(".", "args/text_summary")][0] == "text"
    assert found[(".", "model_config/text_summary")][0] == "text"
    logged = [value for _, value in scalar_values(logdir, db, ".", "train/loss")]
    assert logged == pytest.approx(report["losses"], rel=1e-5)


def test_log_keys_become_transformers_tags():
    """The callback module imports transformers but not its Trainer (no torch._dynamo)."""
    from heron.integrations.transformers import log_tag

    assert [log_tag(key) for key in ("loss", "eval_loss", "test_accuracy")] == [
        "train/loss", "eval/loss", "test/accuracy"
    ]  # fmt: skip
