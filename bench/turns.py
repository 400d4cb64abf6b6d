#!/usr/bin/env python3
"""Summarise an inkroom-server turn trace (INKROOM_TRACE_TURNS=FILE): the turns of the measured window of a
fan-out run (from 2 s to 7 s after the first message of traffic, as inkroom-bench measures), or of --from/--to."""
import argparse
import csv


def quantile(values, q):
    if not values:
        return float('nan')
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('trace')
    parser.add_argument('--from', dest='start', type=float, default=2.0, help='seconds after the first message')
    parser.add_argument('--to', dest='end', type=float, default=7.0, help='seconds after the first message')
    args = parser.parse_args()
    with open(args.trace) as f:
        turns = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f, delimiter='\t')]
    # Traffic starts after the joins: the first turn that reads many messages at a steady pace.
    first = next((t['start_us'] for t in turns if t['messages'] > 0 and t['deliveries'] > 5), 0)
    window = [t for t in turns if first + args.start * 1e6 <= t['start_us'] < first + args.end * 1e6]
    if not window:
        print('no turns in the window')
        return
    span = (window[-1]['start_us'] + window[-1]['busy_us'] - window[0]['start_us']) / 1e6
    busy = [t['busy_us'] for t in window]
    wait = [t['wait_us'] for t in window]
    total = lambda key: sum(t[key] for t in window)
    print(f"turns {len(window)} in {span:.2f} s ({len(window) / span:.0f}/s); busy {sum(busy) / 1e6 / span * 100:.1f} % "
          f"of the time")
    print(f"busy us: p50 {quantile(busy, .5):.0f}, p90 {quantile(busy, .9):.0f}, p99 {quantile(busy, .99):.0f}, "
          f"max {max(busy):.0f}; wait us: p50 {quantile(wait, .5):.0f}, p99 {quantile(wait, .99):.0f}")
    for key in ('ready', 'messages', 'deliveries', 'writes'):
        values = [t[key] for t in window]
        print(f"{key} per turn: mean {sum(values) / len(values):.1f}, p50 {quantile(values, .5):.0f}, "
              f"p99 {quantile(values, .99):.0f}, max {max(values):.0f}")
    print(f"per second: messages {total('messages') / span:.0f}, deliveries {total('deliveries') / span:.0f}, "
          f"writes {total('writes') / span:.0f}, bytes out {total('bytes_out') / span / 1e6:.1f} MB")
    if total('deliveries'):
        print(f"busy time per delivery {sum(busy) / total('deliveries'):.3f} us; deliveries per write "
              f"{total('deliveries') / max(1, total('writes')):.1f}")
    # The longest turns: what they held.
    print('longest turns (start s, busy us, wait us before, ready, messages, deliveries, writes):')
    for t in sorted(window, key=lambda t: -t['busy_us'])[:5]:
        print(f"  {(t['start_us'] - first) / 1e6:.3f} {t['busy_us']:.0f} {t['wait_us']:.0f} {t['ready']:.0f} "
              f"{t['messages']:.0f} {t['deliveries']:.0f} {t['writes']:.0f}")


if __name__ == '__main__':
    main()
