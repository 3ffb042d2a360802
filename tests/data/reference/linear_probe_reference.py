#!/usr/bin/env python3
"""Reference results for the linear probe and the kNN monitor (core/analysis), by scikit-learn.

A fixed, overlapping data set (5 Gaussian classes in 8 dimensions, 200 train and 100 test
points) is standardised with StandardScaler fitted on the train split and classified by
LogisticRegression (multinomial, lbfgs, tight tol). scikit-learn minimises
    0.5 * ||W||^2 + C * sum_i CE_i,
which divided by C * N is the probe's  mean CE + (weight_decay / 2) * ||W||^2  with
C = 1 / (weight_decay * N_train). The kNN reference is KNeighborsClassifier on the raw
features with cosine distance d = 1 - s and neighbour weights exp(s / T).

Run:  /usr/bin/python3 tests/data/reference/linear_probe_reference.py
Writes linear_probe_cases.json beside this script (needs numpy and python3-sklearn).
"""

import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

CLASSES, DIMS, N_TRAIN, N_TEST = 5, 8, 200, 100
WEIGHT_DECAY = 0.01
KNN_K, KNN_T = 20, 0.07


def make_data(rng):
    centres = rng.normal(scale=0.7, size=(CLASSES, DIMS))
    labels = np.arange(N_TRAIN + N_TEST) % CLASSES
    rng.shuffle(labels)
    features = centres[labels] + rng.normal(size=(N_TRAIN + N_TEST, DIMS))
    # one constant feature exercises the zero-std guard
    features[:, DIMS - 1] = 3.0
    # float32 values, so that the C++ side (which scores kNN in float32) reads the same numbers
    return features.astype(np.float32).astype(np.float64), labels


def main():
    rng = np.random.default_rng(20261204)
    features, labels = make_data(rng)
    x_train, y_train = features[:N_TRAIN], labels[:N_TRAIN]
    x_test, y_test = features[N_TRAIN:], labels[N_TRAIN:]

    scaler = StandardScaler().fit(x_train)
    c = 1.0 / (WEIGHT_DECAY * N_TRAIN)
    probe = LogisticRegression(C=c, multi_class="multinomial", solver="lbfgs", tol=1e-12,
                               max_iter=10000)
    probe.fit(scaler.transform(x_train), y_train)
    probe_predictions = probe.predict(scaler.transform(x_test))

    def knn_weights(distances):
        return np.exp((1.0 - distances) / KNN_T)

    knn = KNeighborsClassifier(n_neighbors=KNN_K, weights=knn_weights, metric="cosine",
                               algorithm="brute")
    knn.fit(x_train, y_train)
    knn_predictions = knn.predict(x_test)

    case = {
        "sklearn_version": sklearn.__version__,
        "classes": CLASSES,
        "dims": DIMS,
        "weight_decay": WEIGHT_DECAY,
        "sklearn_C": c,
        "train_features": x_train.ravel().tolist(),
        "train_labels": y_train.tolist(),
        "test_features": x_test.ravel().tolist(),
        "test_labels": y_test.tolist(),
        "probe_predictions": probe_predictions.tolist(),
        "probe_top1": float(np.mean(probe_predictions == y_test)),
        "probe_coef": probe.coef_.ravel().tolist(),
        "knn_k": KNN_K,
        "knn_temperature": KNN_T,
        "knn_predictions": knn_predictions.tolist(),
        "knn_top1": float(np.mean(knn_predictions == y_test)),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linear_probe_cases.json")
    with open(out, "w") as f:
        json.dump(case, f)
    print(f"probe top-1 {case['probe_top1']:.3f}, knn top-1 {case['knn_top1']:.3f} -> {out}")


if __name__ == "__main__":
    main()
