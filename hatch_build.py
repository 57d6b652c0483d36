"""Hatch build hook: builds the web UI and compiles the C record scanner (formats/_scan.c).

The web UI (TypeScript in web/) is built with npm into the git-ignored src/heron/_web when its
index.html is missing, and the wheel ships that folder. HERON_SKIP_WEB_BUILD=1 skips the UI build
(the Makefile sets it and builds the UI itself with `make web`); HERON_FORCE_WEB_BUILD=1 rebuilds
it even when present. Without npm (or without web/, as when building from a wheel's contents) the
build goes on with a printed warning, and `heron serve` explains at "/" how to build the UI.

Editable installs get the library next to its source (src/heron/formats/_scan<EXT_SUFFIX>,
git-ignored); wheels get it from a build folder, and are then tagged for this interpreter and
platform. Without a working C compiler the build goes on with a printed warning: Heron then
uses its pure-Python scanner (heron.formats.scan.NATIVE is False). HERON_NO_NATIVE=1 skips the
compilation on purpose.

Run ``python hatch_build.py`` to rebuild the library in place after editing _scan.c (an
editable install does not notice the change); it exits with 1 if the compilation failed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a script, outside a build environment
    BuildHookInterface = object  # type: ignore[assignment,misc]

ROOT = Path(__file__).resolve().parent
WEB_SOURCE = ROOT / "web"
WEB_BUILD = ROOT / "src" / "heron" / "_web"
#: Shared with the Makefile: npm ci runs again only when package-lock.json is newer.
WEB_DEPS_STAMP = WEB_SOURCE / "node_modules" / ".installed"
SOURCE = ROOT / "src" / "heron" / "formats" / "_scan.c"
MODULE = "heron/formats/_scan"
FLAGS = ["-O3", "-std=gnu11", "-fPIC", "-Wall", "-Wextra", "-fvisibility=hidden"]


def library_name() -> str:
    return "_scan" + str(sysconfig.get_config_var("EXT_SUFFIX") or ".so")


def compile_scanner(output: Path) -> None:
    """Compile _scan.c into the shared library ``output``; raises on failure."""
    if sys.platform == "win32":
        raise RuntimeError("the native scanner is not built on Windows yet")
    compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    includes = {sysconfig.get_path("include"), sysconfig.get_path("platinclude")}
    link = ["-bundle", "-undefined", "dynamic_lookup"] if sys.platform == "darwin" else ["-shared"]
    output.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target, then rename: a process that has the old library loaded keeps it.
    partial = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    command = [
        *compiler,
        *FLAGS,
        *(f"-I{path}" for path in sorted(includes) if path),
        str(SOURCE),
        *link,
        "-o",
        str(partial),
    ]
    try:
        subprocess.run(command, check=True)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def try_compile(output: Path) -> bool:
    if os.environ.get("HERON_NO_NATIVE") == "1":
        print("heron: HERON_NO_NATIVE=1, not building the native scanner", file=sys.stderr)
        return False
    try:
        compile_scanner(output)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        print(
            f"heron: WARNING: could not build the native record scanner ({error}); "
            "Heron will use its pure-Python scanner, which is much slower on large logdirs. "
            "Install a C compiler and the Python headers, then reinstall.",
            file=sys.stderr,
        )
        return False
    return True


def _web_deps_stale() -> bool:
    lock = WEB_SOURCE / "package-lock.json"
    if not WEB_DEPS_STAMP.exists():
        return True
    return lock.stat().st_mtime > WEB_DEPS_STAMP.stat().st_mtime


def build_web() -> bool:
    """Build the UI into src/heron/_web unless it is there already; False if it is missing."""
    if os.environ.get("HERON_SKIP_WEB_BUILD") == "1":
        return (WEB_BUILD / "index.html").is_file()
    force = os.environ.get("HERON_FORCE_WEB_BUILD") == "1"
    if (WEB_BUILD / "index.html").is_file() and not force:
        return True
    npm = shutil.which("npm")
    problem = None
    if not (WEB_SOURCE / "package.json").is_file():
        problem = f"{WEB_SOURCE} is missing"
    elif npm is None:
        problem = "npm is not installed (install Node.js 20 or newer)"
    else:
        try:
            if _web_deps_stale():
                subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB_SOURCE, check=True)
                WEB_DEPS_STAMP.touch()
            subprocess.run([npm, "run", "build"], cwd=WEB_SOURCE, check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            problem = str(error)
    if problem is not None:
        print(
            f"heron: WARNING: could not build the web UI ({problem}); `heron serve` will answer "
            "with the HTTP API only and say how to build it (`make web`).",
            file=sys.stderr,
        )
        return False
    return True


class NativeScannerHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        # The UI first: editable installs serve it from src/heron/_web, wheels ship it (it is
        # git-ignored, so it is listed as an artifact in pyproject.toml).
        build_web()
        if version == "editable":
            # The editable install imports from src/, so the library goes beside its source.
            try_compile(SOURCE.parent / library_name())
            return
        self._scratch = tempfile.mkdtemp(prefix="heron-native-")
        output = Path(self._scratch) / library_name()
        if try_compile(output):
            build_data["force_include"][str(output)] = f"{MODULE}{output.name[len('_scan') :]}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    built = try_compile(SOURCE.parent / library_name())
    sys.exit(0 if built or os.environ.get("HERON_NO_NATIVE") == "1" else 1)
