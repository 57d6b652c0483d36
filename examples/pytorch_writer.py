"""The PyTorch ``SummaryWriter`` tutorial, with Heron: change the import, keep the loop.

Trains a small network on scikit-learn's digits with a plain PyTorch loop,
logging the loss and accuracy with ``add_scalar``, the model graph with
``add_graph``, and weight and gradient histograms with
``heron.integrations.torch.watch``.

    python examples/pytorch_writer.py --logdir logs/pytorch
    heron --logdir logs/pytorch
"""

from __future__ import annotations

import argparse

import torch
from sklearn.datasets import load_digits

from heron import SummaryWriter  # was: from torch.utils.tensorboard import SummaryWriter
from heron.integrations.torch import watch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="logs/pytorch")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    torch.manual_seed(0)
    digits = load_digits()
    features = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    labels = torch.tensor(digits.target)
    train = torch.utils.data.TensorDataset(features[:1400], labels[:1400])
    loader = torch.utils.data.DataLoader(train, batch_size=64, shuffle=True)
    x_test, y_test = features[1400:], labels[1400:]

    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    with SummaryWriter(args.logdir) as writer:
        writer.add_graph(model, x_test[:1])
        watch(model, writer, freq=20)
        step = 0
        for epoch in range(args.epochs):
            model.train()
            for inputs, targets in loader:
                optimizer.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(inputs), targets)
                loss.backward()
                optimizer.step()
                writer.add_scalar("loss/train", loss, step)  # a tensor is fine: no .item()
                step += 1
            model.eval()
            with torch.no_grad():
                accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean()
            writer.add_scalar("accuracy/test", accuracy, epoch)
    print(f"logged to {args.logdir}; view with: heron --logdir {args.logdir}")


if __name__ == "__main__":
    main()
