"""Generate the Python modules and type stubs for src/heron/formats/proto/*.proto.

The generator is pinned (grpcio-tools carries protoc; mypy-protobuf writes the
``.pyi`` stubs), so the output is reproducible and committed. ``--check``
regenerates into a scratch folder and fails on any difference, which is what
``make check-gen`` and CI run.

    python tools/gen_protos.py           # rewrite the committed modules
    python tools/gen_protos.py --check   # exit 1 if they are stale
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PROTO_DIR = SRC / "heron" / "formats" / "proto"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi")


def generate(out: Path) -> None:
    from grpc_tools import protoc  # the pinned generator, a dev dependency

    plugin = shutil.which("protoc-gen-mypy", path=str(Path(sys.executable).parent))
    if plugin is None:
        sys.exit("protoc-gen-mypy not found next to this Python: run `make setup`.")
    well_known = resources.files("grpc_tools") / "_proto"
    protos = sorted(str(p.relative_to(SRC)) for p in PROTO_DIR.glob("*.proto"))
    args = [
        "protoc",
        f"--proto_path={SRC}",
        f"--proto_path={well_known}",
        f"--plugin=protoc-gen-mypy={plugin}",
        f"--python_out={out}",
        f"--mypy_out={out}",
        *protos,
    ]
    if protoc.main(args) != 0:
        sys.exit("protoc failed (see above).")


def generated_files(folder: Path) -> dict[str, Path]:
    return {
        p.name: p for p in folder.rglob("*") if p.is_file() and p.name.endswith(GENERATED_SUFFIXES)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if committed output is stale")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        generate(out)
        fresh = generated_files(out / "heron" / "formats" / "proto")
        committed = generated_files(PROTO_DIR)
        if options.check:
            stale = sorted(
                name
                for name in fresh.keys() | committed.keys()
                if name not in fresh
                or name not in committed
                or not filecmp.cmp(fresh[name], committed[name], shallow=False)
            )
            if stale:
                print("Generated protobuf modules are stale; run `make gen-protos`:")
                for name in stale:
                    print(f"  src/heron/formats/proto/{name}")
                return 1
            print(f"check-gen: {len(fresh)} generated files are up to date.")
            return 0
        for path in committed.values():
            path.unlink()
        for name, path in fresh.items():
            shutil.copyfile(path, PROTO_DIR / name)
        print(f"Wrote {len(fresh)} files to {PROTO_DIR.relative_to(ROOT)}.")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
