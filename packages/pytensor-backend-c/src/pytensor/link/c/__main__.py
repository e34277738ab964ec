"""Command line of the C backend's module cache (layer: pytensor-backend-c).

``python -m pytensor.link.c cache list``  lists the cached modules;
``python -m pytensor.link.c cache clear`` removes them;
``python -m pytensor.link.c cache dir``   prints the cache directory.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from pytensor.link.c.cache import cache_dir, clear_cache, list_entries

    parser = argparse.ArgumentParser(
        prog="python -m pytensor.link.c", description="The C backend's compiled-module cache."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cache = sub.add_parser("cache", help="inspect or clear the compiled-module cache")
    action = cache.add_subparsers(dest="action", required=True)
    action.add_parser("list", help="list cached modules")
    action.add_parser("clear", help="remove every cached module")
    action.add_parser("dir", help="print the cache directory")
    args = parser.parse_args(argv)
    if args.action == "dir":
        print(cache_dir())
    elif args.action == "list":
        entries = list_entries()
        total = 0
        for e in entries:
            created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.get("created", 0)))
            print(f"{e['key'][:16]}  {e['bytes']:>9}  {created}  {e['status']}")
            total += e["bytes"]
        print(f"{len(entries)} modules, {total} bytes in {cache_dir()}")
    else:
        n = clear_cache()
        print(f"removed {n} modules from {cache_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
