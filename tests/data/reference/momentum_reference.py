#!/usr/bin/python3
"""Reference values for the momentum (EMA) key copy of core/models/MomentumEncoder.h.

Used by tests/core/models/MomentumEncoderTest.cpp. A tiny module's parameters are a flat vector
of 10 numbers (Linear(3, 2) weight and bias, BatchNorm1d(2) weight and bias, in registration
order). The key copy starts equal to the online parameters; before each of K optimiser steps the
online parameters jump to a new drawn vector (standing in for the optimiser), and after step k
(0 for the first) every key number moves towards its online number,

    key <- tau(k) * key + (1 - tau(k)) * online,   tau(k) = 1 - (1 - tau0)(cos(pi k / K) + 1) / 2,

computed here number by number with Python floats (float64); nothing is shared with the C++
code. Inputs come from numpy RandomState(11), rounded to float32 so that the C++ test feeds the
exact same numbers. Run from anywhere with Debian's python3-numpy:

    /usr/bin/python3 tests/data/reference/momentum_reference.py

It rewrites momentum_cases.json next to itself.
"""

import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.RandomState(11)
PARAMETERS = 12


def draw():
    return [float(x) for x in RNG.standard_normal(PARAMETERS).astype(np.float32)]


def tau(base, step, total):
    return 1.0 - (1.0 - base) * (math.cos(math.pi * step / total) + 1.0) / 2.0


def case(name, base, total):
    initial = draw()
    key = list(initial)
    steps = []
    for k in range(total):
        online = draw()
        t = tau(base, k, total)
        key = [t * key_i + (1.0 - t) * online_i for key_i, online_i in zip(key, online)]
        steps.append({"online": online, "tau": t, "key": list(key)})
    return {"name": name, "base": base, "total_steps": total, "initial": initial, "steps": steps}


def main():
    cases = [case("tau0=0.9 over 4 steps", 0.9, 4), case("tau0=0.5 over 3 steps", 0.5, 3)]
    with open(os.path.join(HERE, "momentum_cases.json"), "w") as out:
        json.dump({"generator": "momentum_reference.py", "cases": cases}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
