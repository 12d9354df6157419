"""`ruche analyze …`: the analyst's command line, and the engine's test interface.

Runs without Django settings: it reads files, calls the engine and writes JSON.
"""

import argparse
import sys

from ruche.analysis.errors import InputError

EXIT_BAD_INPUT = 2
MAX_SEED = 2**32  # numpy and scikit-learn accept seeds in [0, 2**32)


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 0 <= value < MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED - 1}, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ruche analyze", description=__doc__)
    sub = parser.add_subparsers(dest="analysis", required=True)

    opinions = sub.add_parser(
        "opinions", help="opinion groups, representative, consensus and divisive statements"
    )
    opinions.add_argument("--polis-export", required=True, metavar="DIR")
    opinions.add_argument("--json", required=True, metavar="OUT")
    opinions.add_argument("--seed", type=seed, default=0)

    topics = sub.add_parser("topics", help="themes of French free text")
    topics.add_argument("--csv", required=True, metavar="FILE")
    topics.add_argument("--text-column", required=True, metavar="COL")
    topics.add_argument("--id-column", required=True, metavar="COL")
    topics.add_argument("--k", type=int, default=None, help="number of themes (default: chosen)")
    topics.add_argument("--json", required=True, metavar="OUT")
    topics.add_argument("--seed", type=seed, default=0)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.analysis == "opinions":
            from ruche.analysis.commands.opinions import run
        else:
            from ruche.analysis.commands.topics import run
        run(args)
    except InputError as error:
        print(f"ruche analyze {args.analysis}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
