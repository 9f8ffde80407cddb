"""The bounded fault-injection run of `make test` (see chaos.py): fixed seeds, including every
seed that once failed (regression cases). `make chaos` runs longer, with a fresh seed."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from chaos import Chaos  # noqa: E402

# (nodes, seed, steps)
# seed 11: cold starts and kills; seed 777: two down at once, a partition, a wipe; 5 nodes: 23
RUNS = [(3, 11, 6), (3, 777, 5), (5, 23, 3)]


@pytest.mark.parametrize("nodes,seed,steps", RUNS)
def test_no_acknowledged_write_is_lost(tmp_path, nodes, seed, steps):
    c = Chaos(tmp_path, nodes, seed, log=lambda s: print(s, flush=True))
    try:
        acked = c.run(steps)
    finally:
        c.cleanup()
    assert acked > 0 and c.split_brain == 0
