#!/usr/bin/python3
"""Reference values for the scoring functions, losses and miners of core/losses.

Used by tests/core/losses/{ScoringFunctions,MarginLosses,NceLosses,NegativeFreeLosses}Test.cpp.
Every quantity is written here from its paper, element by element with Python loops over
samples, pairs and triplets, in float64, and differentiated by PyTorch's autograd; nothing is
shared with the C++ code, which works on whole matrices. Where a convention has to be chosen the
C++ headers state it and this script follows the header's formula:

* pair loss (Hadsell et al. 2006): ½ mean over ordered pairs i ≠ j of D² or max(0, m − D)²;
* triplet loss: mean over mined triplets of max(0, s_an − s_ap + m); miners as in the headers;
* lifted structure (Oh Song et al. 2016): 1/(2|P|) Σ max(0, J_ij)² over unordered pairs;
* a zero Euclidean distance has gradient 0 (its subgradient), not autograd's NaN.

Inputs come from numpy RandomState(7) (RandomState(8) for the learned bilinear W), rounded to
float32 so that the C++ test feeds the exact same numbers. Run from anywhere with Debian's
python3-torch installed:

    /usr/bin/python3 tests/data/reference/losses_reference.py

It rewrites scoring_functions_cases.json, margin_losses_cases.json, nce_losses_cases.json and
negative_free_losses_cases.json next to itself.
"""

import json
import math
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.RandomState(7)
# The cases with a learned bilinear W draw from their own stream, so that adding them left the
# inputs of every earlier case unchanged.
BILINEAR_RNG = np.random.RandomState(8)


def draw(*shape, scale=1.0, rng=None):
    rng = RNG if rng is None else rng
    return (rng.standard_normal(shape) * scale).astype(np.float32).astype(np.float64)


def leaf(values):
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


# Scores of one pair of vectors ---------------------------------------------------------------


def dot(q, k):
    return torch.sum(q * k)


def cosine(q, k):
    # Zero vectors score 0, like the C++ l2Normalize (norm clamped at 1e-12).
    nq = torch.sqrt(torch.sum(q * q))
    nk = torch.sqrt(torch.sum(k * k))
    return torch.sum(q * k) / (torch.clamp(nq, min=1e-12) * torch.clamp(nk, min=1e-12))


def distance(q, k):
    squared = torch.sum((q - k) ** 2)
    if squared.item() == 0.0:
        return squared * 0.0
    return torch.sqrt(squared)


def negative_l2(q, k):
    return -distance(q, k)


def negative_l1(q, k):
    return -torch.sum(torch.abs(q - k))


SCORES = {"dot": dot, "cosine": cosine, "negative_l1": negative_l1, "negative_l2": negative_l2}


def score_matrix(score, queries, keys):
    return torch.stack([torch.stack([score(q, k) for k in keys]) for q in queries])


def bilinear_matrix(queries, keys, w):
    rows = []
    for q in queries:
        rows.append(torch.stack([sum(q[a] * w[a, b] * k[b] for a in range(w.shape[0])
                                     for b in range(w.shape[1])) for k in keys]))
    return torch.stack(rows)


# Margin losses (survey §III-E2) --------------------------------------------------------------


def pair_loss(z, labels, margin):
    n = len(labels)
    terms = []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            d = distance(z[i], z[j])
            if labels[i] == labels[j]:
                terms.append(d ** 2)
            else:
                terms.append(torch.clamp(margin - d, min=0.0) ** 2)
    return 0.5 * torch.stack(terms).mean()


def mine(s, labels, miner):
    """Triplets from a float score matrix s (a list of lists), following the miners' headers."""
    n = len(labels)
    pos = lambda a, p: a != p and labels[a] == labels[p]
    neg = lambda a, x: labels[a] != labels[x]
    triplets = []
    if miner == "all":
        for a in range(n):
            for p in range(n):
                for x in range(n):
                    if pos(a, p) and neg(a, x):
                        triplets.append((a, p, x))
    elif miner == "batch_hard":
        for a in range(n):
            ps = [p for p in range(n) if pos(a, p)]
            ns = [x for x in range(n) if neg(a, x)]
            if ps and ns:
                p = min(ps, key=lambda p: s[a][p])
                x = max(ns, key=lambda x: s[a][x])
                triplets.append((a, p, x))
    elif miner == "semi_hard":
        for a in range(n):
            for p in range(n):
                if not pos(a, p):
                    continue
                ns = [x for x in range(n) if neg(a, x) and s[a][x] < s[a][p]]
                if ns:
                    triplets.append((a, p, max(ns, key=lambda x: s[a][x])))
    return triplets


def triplet_loss(z, labels, margin, score, miner):
    n = len(labels)
    s = [[score(z[i], z[j]) for j in range(n)] for i in range(n)]
    plain = [[v.item() for v in row] for row in s]
    triplets = mine(plain, labels, miner)
    terms = [torch.clamp(s[a][x] - s[a][p] + margin, min=0.0) for a, p, x in triplets]
    return torch.stack(terms).mean(), triplets


def lifted_loss(z, labels, margin, score):
    n = len(labels)
    s = [[score(z[i], z[j]) for j in range(n)] for i in range(n)]
    terms = []
    for i in range(n):
        for j in range(i + 1, n):
            if labels[i] != labels[j]:
                continue
            exps = [torch.exp(margin + s[i][k]) for k in range(n) if labels[k] != labels[i]]
            exps += [torch.exp(margin + s[j][l]) for l in range(n) if labels[l] != labels[j]]
            bound = torch.log(sum(exps)) - s[i][j]
            terms.append(torch.clamp(bound, min=0.0) ** 2)
    return sum(terms) / (2.0 * len(terms))


# NCE-based losses (survey §III-E3/E4) --------------------------------------------------------


def n_pair_loss(anchors, positives, l2, score):
    n = anchors.shape[0]
    terms = []
    for i in range(n):
        inner = sum(torch.exp(score(anchors[i], positives[j]) - score(anchors[i], positives[i]))
                    for j in range(n) if j != i)
        terms.append(torch.log(1.0 + inner))
    loss = torch.stack(terms).mean()
    reg = sum(torch.sum(anchors[i] ** 2) + torch.sum(positives[i] ** 2) for i in range(n)) / n
    return loss + l2 * reg


def binary_nce_loss(queries, keys, temperature, score):
    n = queries.shape[0]
    positive = []
    negative = []
    for i in range(n):
        for j in range(n):
            p = torch.sigmoid(score(queries[i], keys[j]) / temperature)
            if i == j:
                positive.append(-torch.log(p))
            else:
                negative.append(-torch.log(1.0 - p))
    return torch.stack(positive).mean() + torch.stack(negative).mean()


def info_nce_loss(queries, keys, negatives, temperature, score):
    candidates = list(keys) + (list(negatives) if negatives is not None else [])
    terms = []
    for i, q in enumerate(queries):
        exps = [torch.exp(score(q, k) / temperature) for k in candidates]
        terms.append(-torch.log(exps[i] / sum(exps)))
    return torch.stack(terms).mean()


def sup_con_loss(z, labels, temperature, score):
    n = len(labels)
    terms = []
    for i in range(n):
        positives = [p for p in range(n) if p != i and labels[p] == labels[i]]
        if not positives:
            continue
        denominator = sum(torch.exp(score(z[i], z[a]) / temperature) for a in range(n) if a != i)
        logs = [torch.log(torch.exp(score(z[i], z[p]) / temperature) / denominator)
                for p in positives]
        terms.append(-sum(logs) / len(positives))
    return torch.stack(terms).mean()


# Negative-free losses ------------------------------------------------------------------------


def negative_cosine(p, z, stop_gradient=True):
    target = z.detach() if stop_gradient else z
    return -torch.stack([cosine(p[i], target[i]) for i in range(p.shape[0])]).mean()


def sinkhorn(scores, epsilon, iterations):
    # The loop of SwAV's published code, on the (K, B) transposed matrix.
    q = torch.exp(scores.detach() / epsilon).t()
    k_count, b_count = q.shape
    q = q / q.sum()
    for _ in range(iterations):
        q = q / q.sum(dim=1, keepdim=True) / k_count
        q = q / q.sum(dim=0, keepdim=True) / b_count
    return (q * b_count).t()


def swav_loss(s1, s2, temperature, epsilon, iterations):
    q1 = sinkhorn(s1, epsilon, iterations)
    q2 = sinkhorn(s2, epsilon, iterations)
    total = 0.0
    for b in range(s1.shape[0]):
        p1 = torch.softmax(s1[b] / temperature, 0)
        p2 = torch.softmax(s2[b] / temperature, 0)
        total = total - 0.5 * (torch.sum(q2[b] * torch.log(p1)) + torch.sum(q1[b] * torch.log(p2)))
    return total / s1.shape[0]


def barlow_twins_loss(z1, z2, weight):
    n, d = z1.shape
    b1 = torch.nn.functional.batch_norm(z1, None, None, training=True, eps=1e-5)
    b2 = torch.nn.functional.batch_norm(z2, None, None, training=True, eps=1e-5)
    loss = 0.0
    for i in range(d):
        for j in range(d):
            c = torch.sum(b1[:, i] * b2[:, j]) / n
            loss = loss + ((1.0 - c) ** 2 if i == j else weight * c ** 2)
    return loss


def vicreg_loss(z1, z2, lam, mu, nu):
    n, d = z1.shape
    invariance = torch.nn.functional.mse_loss(z1, z2)

    def variance(z):
        std = torch.sqrt(torch.var(z, dim=0, unbiased=True) + 1e-4)
        return torch.mean(torch.relu(1.0 - std))

    def covariance(z):
        c = torch.cov(z.t())
        return sum(c[i, j] ** 2 for i in range(d) for j in range(d) if i != j) / d

    return (lam * invariance + mu * (variance(z1) + variance(z2)) / 2
            + nu * (covariance(z1) + covariance(z2)))


def whiten(z, shrinkage):
    n, d = z.shape
    centred = z - z.mean(0)
    sigma = (1 - shrinkage) * torch.cov(centred.t()) + shrinkage * torch.eye(d, dtype=z.dtype)
    factor = torch.linalg.cholesky(sigma)
    return centred @ torch.linalg.inv(factor).t()


def wmse_loss(z1, z2, shrinkage):
    w1 = whiten(z1, shrinkage)
    w2 = whiten(z2, shrinkage)
    terms = [2.0 - 2.0 * cosine(w1[i], w2[i]) for i in range(z1.shape[0])]
    return torch.stack(terms).mean()


# Fixture writing -----------------------------------------------------------------------------


def flat(t):
    return [float(x) for x in np.asarray(t.detach().numpy() if torch.is_tensor(t) else t)
            .reshape(-1)]


def case(name, loss, params, inputs, labels, compute):
    """inputs: name -> numpy array; compute(leaves) -> scalar tensor (or (tensor, extra))."""
    leaves = {key: leaf(value) for key, value in inputs.items()}
    result = compute(leaves)
    extra = {}
    if isinstance(result, tuple):
        result, extra = result
    result.backward()
    entry = {
        "name": name,
        "loss": loss,
        "params": params,
        "inputs": {key: {"shape": list(value.shape), "values": flat(value)}
                   for key, value in inputs.items()},
        "expected": result.item(),
        "grads": {key: flat(leaves[key].grad if leaves[key].grad is not None
                            else torch.zeros_like(leaves[key])) for key in inputs},
    }
    if labels is not None:
        entry["labels"] = [int(x) for x in labels]
    entry.update(extra)
    assert math.isfinite(entry["expected"]), name
    return entry


def write(filename, cases):
    with open(os.path.join(HERE, filename), "w") as out:
        json.dump({"generator": "losses_reference.py", "cases": cases}, out, indent=1)
        out.write("\n")


def scoring_cases():
    cases = []
    queries = draw(3, 4)
    keys = draw(5, 4)
    # The third key repeats the first query: a zero distance for the L1 and L2 scores.
    keys[2] = queries[0]
    upstream = draw(3, 5)
    for name, score in SCORES.items():
        cases.append(case(
            f"{name} 3x5", name, {"upstream": flat(upstream)},
            {"queries": queries, "keys": keys}, None,
            lambda v, score=score: torch.sum(score_matrix(score, v["queries"], v["keys"])
                                             * torch.tensor(upstream))))
    keys3 = draw(5, 3)
    weight = draw(4, 3)
    cases.append(case(
        "bilinear 3x5, d_q=4, d_k=3", "bilinear", {"upstream": flat(upstream)},
        {"queries": queries, "keys": keys3, "weight": weight}, None,
        lambda v: torch.sum(bilinear_matrix(v["queries"], v["keys"], v["weight"])
                            * torch.tensor(upstream))))
    return cases


def bilinear(w):
    """The bilinear score s(q, k) = qᵀ W k with W a leaf of the case."""
    return lambda q, k: sum(q[a] * w[a, b] * k[b] for a in range(w.shape[0])
                            for b in range(w.shape[1]))


def margin_cases():
    cases = []
    labels = [0, 1, 2, 0, 1, 2, 0, 1]
    z = draw(8, 3)
    for margin in [1.0, 2.5]:
        cases.append(case(f"pair m={margin}", "pair", {"margin": margin}, {"embeddings": z},
                          labels, lambda v, m=margin: pair_loss(v["embeddings"], labels, m)))
    for score in ["negative_l2", "cosine", "dot"]:
        for miner in ["all", "batch_hard", "semi_hard"]:
            margin = 0.3 if score != "dot" else 1.0
            name = f"triplet {score} {miner} m={margin}"

            def compute(v, score=score, miner=miner, margin=margin):
                loss, triplets = triplet_loss(v["embeddings"], labels, margin, SCORES[score], miner)
                return loss, {"triplets": [list(t) for t in triplets]}
            cases.append(case(name, "triplet", {"margin": margin, "score": score, "miner": miner},
                              {"embeddings": z}, labels, compute))
    for score, margin in [("negative_l2", 1.0), ("cosine", 0.5), ("negative_l1", 1.0)]:
        cases.append(case(
            f"lifted {score} alpha={margin}", "lifted", {"margin": margin, "score": score},
            {"embeddings": z}, labels,
            lambda v, s=score, m=margin: lifted_loss(v["embeddings"], labels, m, SCORES[s])))
    # A learned W near the identity, as the loss nodes start it, trained through the triplets.
    weight = np.eye(3) + draw(3, 3, scale=0.3, rng=BILINEAR_RNG)
    for miner in ["semi_hard", "batch_hard"]:
        def compute(v, miner=miner):
            loss, triplets = triplet_loss(v["embeddings"], labels, 0.3, bilinear(v["weight"]),
                                          miner)
            return loss, {"triplets": [list(t) for t in triplets]}
        cases.append(case(f"triplet bilinear {miner} m=0.3", "triplet",
                          {"margin": 0.3, "score": "bilinear", "miner": miner},
                          {"embeddings": z, "weight": weight}, labels, compute))
    return cases


def nce_cases():
    cases = []
    anchors = draw(5, 4)
    positives = anchors + draw(5, 4, scale=0.5)
    for score, l2 in [("dot", 0.0), ("dot", 0.002), ("cosine", 0.0)]:
        cases.append(case(
            f"n-pair {score} l2={l2}", "n_pair", {"score": score, "l2": l2},
            {"anchors": anchors, "positives": positives}, None,
            lambda v, s=score, l2=l2: n_pair_loss(v["anchors"], v["positives"], l2, SCORES[s])))
    for score, temperature in [("cosine", 0.5), ("dot", 1.0), ("negative_l2", 2.0)]:
        cases.append(case(
            f"binary NCE {score} tau={temperature}", "binary_nce",
            {"score": score, "temperature": temperature},
            {"queries": anchors, "keys": positives}, None,
            lambda v, s=score, t=temperature: binary_nce_loss(v["queries"], v["keys"], t,
                                                               SCORES[s])))
    negatives = draw(7, 4)
    for score, temperature, extra in [("cosine", 0.1, False), ("cosine", 0.2, True),
                                      ("dot", 1.0, True), ("negative_l2", 0.5, False)]:
        inputs = {"queries": anchors, "keys": positives}
        if extra:
            inputs["negatives"] = negatives
        cases.append(case(
            f"InfoNCE {score} tau={temperature}{' +7 negatives' if extra else ''}", "info_nce",
            {"score": score, "temperature": temperature}, inputs, None,
            lambda v, s=score, t=temperature: info_nce_loss(v["queries"], v["keys"],
                                                             v.get("negatives"), t, SCORES[s])))
    z = draw(9, 4)
    # Label 3 appears once: that anchor has no positive and is left out.
    labels = [0, 1, 2, 0, 1, 2, 0, 1, 3]
    for score, temperature in [("cosine", 0.1), ("cosine", 0.5), ("dot", 1.0)]:
        cases.append(case(
            f"SupCon {score} tau={temperature}", "sup_con",
            {"score": score, "temperature": temperature}, {"embeddings": z}, labels,
            lambda v, s=score, t=temperature: sup_con_loss(v["embeddings"], labels, t,
                                                            SCORES[s])))
    # A learned W near the identity, as the loss nodes start it.
    weight = np.eye(4) + draw(4, 4, scale=0.3, rng=BILINEAR_RNG)
    cases.append(case(
        "InfoNCE bilinear tau=0.5", "info_nce", {"score": "bilinear", "temperature": 0.5},
        {"queries": anchors, "keys": positives, "weight": weight}, None,
        lambda v: info_nce_loss(v["queries"], v["keys"], None, 0.5, bilinear(v["weight"]))))
    cases.append(case(
        "SupCon bilinear tau=0.3", "sup_con", {"score": "bilinear", "temperature": 0.3},
        {"embeddings": z, "weight": weight}, labels,
        lambda v: sup_con_loss(v["embeddings"], labels, 0.3, bilinear(v["weight"]))))
    cases.append(case(
        "binary NCE bilinear tau=1.0", "binary_nce", {"score": "bilinear", "temperature": 1.0},
        {"queries": anchors, "keys": positives, "weight": weight}, None,
        lambda v: binary_nce_loss(v["queries"], v["keys"], 1.0, bilinear(v["weight"]))))
    return cases


def negative_free_cases():
    cases = []
    p1, z1, p2, z2 = draw(6, 5), draw(6, 5), draw(6, 5), draw(6, 5)
    for stop in [True, False]:
        cases.append(case(
            f"negative cosine stopgrad={stop}", "negative_cosine", {"stop_gradient": stop},
            {"predictions": p1, "targets": z1}, None,
            lambda v, stop=stop: negative_cosine(v["predictions"], v["targets"], stop)))
    cases.append(case(
        "symmetric negative cosine", "symmetric_negative_cosine", {"stop_gradient": True},
        {"predictions1": p1, "targets1": z1, "predictions2": p2, "targets2": z2}, None,
        lambda v: 0.5 * negative_cosine(v["predictions1"], v["targets2"])
        + 0.5 * negative_cosine(v["predictions2"], v["targets1"])))

    s1 = draw(6, 4, scale=0.5)
    s2 = draw(6, 4, scale=0.5)
    for temperature, epsilon, iterations in [(0.1, 0.05, 3), (0.5, 0.1, 1), (0.1, 0.03, 10)]:
        codes = sinkhorn(torch.tensor(s1), epsilon, iterations)
        cases.append(case(
            f"SwAV tau={temperature} eps={epsilon} iterations={iterations}", "swav",
            {"temperature": temperature, "epsilon": epsilon, "iterations": iterations},
            {"scores1": s1, "scores2": s2}, None,
            lambda v, t=temperature, e=epsilon, i=iterations: (
                swav_loss(v["scores1"], v["scores2"], t, e, i), {"codes1": flat(codes)})))

    a = draw(8, 4)
    b = a + draw(8, 4, scale=0.3)
    for weight in [0.0051, 0.5]:
        cases.append(case(f"Barlow Twins lambda={weight}", "barlow_twins", {"lambda": weight},
                          {"z1": a, "z2": b}, None,
                          lambda v, w=weight: barlow_twins_loss(v["z1"], v["z2"], w)))
    # Scaled down so that some dimensions fall below unit standard deviation.
    small_a = a * 0.6
    small_b = b * 0.6
    for lam, mu, nu in [(25.0, 25.0, 1.0), (1.0, 5.0, 0.5)]:
        cases.append(case(
            f"VICReg {lam}/{mu}/{nu}", "vicreg", {"invariance": lam, "variance": mu,
                                                 "covariance": nu},
            {"z1": small_a, "z2": small_b}, None,
            lambda v, lam=lam, mu=mu, nu=nu: vicreg_loss(v["z1"], v["z2"], lam, mu, nu)))
    c = draw(10, 3)
    e = c + draw(10, 3, scale=0.4)
    for shrinkage in [0.0, 0.1]:
        cases.append(case(f"W-MSE shrinkage={shrinkage}", "wmse", {"shrinkage": shrinkage},
                          {"z1": c, "z2": e}, None,
                          lambda v, s=shrinkage: wmse_loss(v["z1"], v["z2"], s)))
    return cases


def self_checks():
    """Closed forms that the loops above must reproduce, so that a slip here is caught here."""
    z = torch.tensor(draw(6, 3))
    # Sinkhorn codes: rows sum to 1 after the last row scaling.
    q = sinkhorn(torch.tensor(draw(6, 4)), 0.05, 3)
    assert torch.allclose(q.sum(1), torch.ones(6, dtype=torch.float64))
    # Whitened batches have identity covariance.
    w = whiten(torch.tensor(draw(12, 3)), 0.0)
    assert torch.allclose(torch.cov(w.t()), torch.eye(3, dtype=torch.float64), atol=1e-10)
    # InfoNCE with the dot score and τ = 1 is the N-pair loss.
    a, p = torch.tensor(draw(4, 3)), torch.tensor(draw(4, 3))
    assert abs(info_nce_loss(a, p, None, 1.0, dot) - n_pair_loss(a, p, 0.0, dot)) < 1e-12
    # SupCon with one label per pair of views is NT-Xent: identical embeddings give ln(2N − 1).
    same = torch.ones(6, 3, dtype=torch.float64)
    assert abs(sup_con_loss(same, [0, 1, 2, 0, 1, 2], 0.3, cosine) - math.log(5)) < 1e-12
    del z


def main():
    self_checks()
    write("scoring_functions_cases.json", scoring_cases())
    write("margin_losses_cases.json", margin_cases())
    write("nce_losses_cases.json", nce_cases())
    write("negative_free_losses_cases.json", negative_free_cases())


if __name__ == "__main__":
    main()
