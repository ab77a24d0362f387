#!/usr/bin/env python3
"""End-to-end checks of a deployed gateway with nothing but Python's standard library.

    python3 scripts/e2e/python/run.py --base-url http://127.0.0.1:3211/api/v1 \\
        --api-key sk-acme-demo-0000000000000000 --model writer

Runs every case in cases.py against the gateway and prints one line per case, then a last line
`N passed, N failed, N skipped`. Exits with 1 when any case failed. Cases that need a tenant set up
for them run only when their flag is given, and are skipped otherwise. Against `npm start` with no
OPENAI_API_KEY, the command above needs nothing more: the local gateway says it is serving the
offline demo model (header X-Local-Gateway-Upstream: offline-demo), and the cases adapt to it.
"""

import argparse
import sys
import traceback
import urllib.error

from cases import CASES, CaseFailure
from gateway_client import Gateway


class Context:
    def __init__(self, gateway, model, options):
        self.gateway = gateway
        self.model = model
        self.options = options


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the gateway's OpenAI base URL, ending in /api/v1")
    parser.add_argument("--api-key", required=True, help="a tenant API key that may call --model")
    parser.add_argument("--model", required=True, help="a model id (an agent) the key may call")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for each reply (default 60)")
    gated = parser.add_argument_group("cases that need a tenant set up for them (skipped when absent)")
    gated.add_argument("--blocked-term", help="a term the --api-key tenant's policy blocks (403 content_policy_violation)")
    gated.add_argument("--pii-block-key", help="a key whose tenant blocks PII and may call --model (403 pii_detected)")
    gated.add_argument("--restricted-key", help="a key of the same tenant that may not call --model (403 model_not_allowed)")
    gated.add_argument(
        "--busy-prompt", help="a prompt whose streamed reply lasts a second or more (409 conversation_busy)"
    )
    gated.add_argument("--rate-limit-key", help="a key with a small requests-per-minute limit that may call --model (429)")
    gated.add_argument("--rate-limit-attempts", type=int, default=30, help="requests to send before expecting the 429")
    gated.add_argument("--budget-key", help="a key whose tenant has a tiny monthly token budget (429 insufficient_quota)")
    gated.add_argument(
        "--offline-demo",
        action="store_true",
        help="the gateway's upstream is the fake upstream, which [[fault:500]] directives script (502); "
        "detected without the flag when the gateway is `npm start`'s offline demo",
    )
    return parser.parse_args(argv)


OFFLINE_DEMO_HEADER = "x-local-gateway-upstream"
# Options found from the gateway itself when their flag is absent, and how.
DETECTED = {"offline_demo": f" (or a gateway that sends {OFFLINE_DEMO_HEADER}: offline-demo)"}


def serves_offline_demo(gateway):
    """Whether the gateway says its upstream is the built-in offline demo model (the local gateway does)."""
    try:
        reply = gateway.call("GET", "/health", key=None)
    except (OSError, urllib.error.URLError):
        return False  # unreachable: the health case reports it
    return reply.header(OFFLINE_DEMO_HEADER) == "offline-demo"


def main(argv):
    options = parse_arguments(argv)
    gateway = Gateway(options.base_url, options.api_key, options.timeout)
    if not options.offline_demo and serves_offline_demo(gateway):
        options.offline_demo = True
        print(f"the gateway serves the offline demo model ({OFFLINE_DEMO_HEADER}: offline-demo)", file=sys.stderr)
    context = Context(gateway, options.model, options)
    passed = failed = skipped = 0
    for name, requires, run in CASES:
        if requires is not None and not getattr(options, requires):
            skipped += 1
            print(f"skip {name}: needs --{requires.replace('_', '-')}{DETECTED.get(requires, '')}")
            continue
        try:
            run(context)
        except CaseFailure as failure:
            failed += 1
            print(f"FAIL {name}: {failure}")
        except Exception:  # a crash in a case is that case's failure; the others still run
            failed += 1
            print(f"FAIL {name}: {traceback.format_exc(limit=3).strip()}")
        else:
            passed += 1
            print(f"ok   {name}")
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
