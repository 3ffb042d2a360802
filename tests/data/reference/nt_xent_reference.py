#!/usr/bin/python3
"""Reference values for tests/core/losses/NtXentLossTest.cpp and tests/core/train/MonitorsTest.cpp.

NT-Xent (SimCLR, Chen et al. 2020) and the alignment / uniformity / collapse monitors (Wang &
Isola 2020) computed independently of the C++ code, in float64:

* the loss view by view from the formula, differentiated by PyTorch's autograd;
* the same loss and its gradient derived by hand in numpy; the script stops unless both agree.

Inputs are drawn from numpy RandomState(0) and rounded to float32, so the C++ test feeds the
exact same numbers. Run from anywhere with Debian's python3-torch installed:

    /usr/bin/python3 tests/data/reference/nt_xent_reference.py

It rewrites nt_xent_cases.json and monitors_cases.json next to itself.
"""

import json
import math
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def inputs(rng, n, d):
    # Rounded to float32 so that the C++ side sees exactly these values.
    z = rng.standard_normal((n, d)).astype(np.float32).astype(np.float64)
    return z


def nt_xent_torch(z_query, z_key, temperature):
    """Loss and gradients by autograd, written view by view from the formula."""
    q = torch.tensor(z_query, dtype=torch.float64, requires_grad=True)
    k = torch.tensor(z_key, dtype=torch.float64, requires_grad=True)
    n = q.shape[0]
    z = torch.cat([q, k], 0)
    u = z / z.norm(dim=1, keepdim=True)
    terms = []
    for i in range(2 * n):
        positive = (i + n) % (2 * n)
        scores = [torch.dot(u[i], u[j]) / temperature for j in range(2 * n) if j != i]
        denominator = torch.logsumexp(torch.stack(scores), 0)
        terms.append(-(torch.dot(u[i], u[positive]) / temperature) + denominator)
    loss = torch.stack(terms).mean()
    loss.backward()
    return loss.item(), q.grad.numpy(), k.grad.numpy()


def nt_xent_numpy(z_query, z_key, temperature):
    """Loss and analytic gradient: dL/dz_i = (I - u_i u_iᵀ) / ‖z_i‖ · Σ_k (G_ik + G_ki) u_k."""
    n = z_query.shape[0]
    z = np.concatenate([z_query, z_key], 0)
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    u = z / norms
    s = u @ u.T
    logits = s / temperature
    np.fill_diagonal(logits, -np.inf)
    positives = np.concatenate([np.arange(n) + n, np.arange(n)])
    m = logits.max(axis=1, keepdims=True)
    log_denominator = (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]
    loss = np.mean(log_denominator - logits[np.arange(2 * n), positives])

    # G = dL/ds: (softmax over k ≠ i minus the positive's indicator) / (τ · 2N)
    p = np.exp(logits - log_denominator[:, None])
    p[np.arange(2 * n), positives] -= 1.0
    g = p / (temperature * 2 * n)
    du = (g + g.T) @ u
    dz = (du - u * np.sum(du * u, axis=1, keepdims=True)) / norms
    return loss, dz[:n], dz[n:]


def monitors(z_query, z_key):
    """Alignment (α = 2), uniformity (t = 2) and collapse indicator on normalised embeddings."""
    q = z_query / np.linalg.norm(z_query, axis=1, keepdims=True)
    k = z_key / np.linalg.norm(z_key, axis=1, keepdims=True)
    alignment2 = np.mean(np.sum((q - k) ** 2, axis=1))
    alignment1 = np.mean(np.sqrt(np.sum((q - k) ** 2, axis=1)))
    pairs = [np.sum((q[i] - q[j]) ** 2) for i in range(len(q)) for j in range(i + 1, len(q))]
    uniformity2 = math.log(np.mean(np.exp(-2.0 * np.array(pairs))))
    uniformity1 = math.log(np.mean(np.exp(-1.0 * np.array(pairs))))
    collapse = np.mean(np.std(q, axis=0))
    return {
        "alignment": alignment2,
        "alignment_alpha1": alignment1,
        "uniformity": uniformity2,
        "uniformity_t1": uniformity1,
        "collapse": collapse,
    }


def flat(a):
    return [float(x) for x in np.asarray(a).reshape(-1)]


def main():
    rng = np.random.RandomState(0)
    cases = []
    for n, d in [(4, 3), (5, 8)]:
        z_query = inputs(rng, n, d)
        z_key = inputs(rng, n, d)
        for temperature in [0.1, 0.5]:
            loss, grad_query, grad_key = nt_xent_torch(z_query, z_key, temperature)
            check_loss, check_query, check_key = nt_xent_numpy(z_query, z_key, temperature)
            assert abs(loss - check_loss) < 1e-12, (loss, check_loss)
            assert np.allclose(grad_query, check_query, atol=1e-12)
            assert np.allclose(grad_key, check_key, atol=1e-12)
            cases.append({
                "name": f"N={n} d={d} tau={temperature}",
                "n": n,
                "d": d,
                "temperature": temperature,
                "z_query": flat(z_query),
                "z_key": flat(z_key),
                "loss": loss,
                "grad_query": flat(grad_query),
                "grad_key": flat(grad_key),
            })
    with open(os.path.join(HERE, "nt_xent_cases.json"), "w") as out:
        json.dump({"generator": "nt_xent_reference.py", "cases": cases}, out, indent=1)
        out.write("\n")

    monitor_cases = []
    for n, d in [(6, 4), (8, 16)]:
        z_query = inputs(rng, n, d)
        z_key = inputs(rng, n, d)
        entry = {"name": f"N={n} d={d}", "n": n, "d": d,
                 "z_query": flat(z_query), "z_key": flat(z_key)}
        entry.update({key: float(value) for key, value in monitors(z_query, z_key).items()})
        monitor_cases.append(entry)
    with open(os.path.join(HERE, "monitors_cases.json"), "w") as out:
        json.dump({"generator": "nt_xent_reference.py", "cases": monitor_cases}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
