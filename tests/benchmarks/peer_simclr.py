#!/usr/bin/python3
"""The Python peer of `crl train`: SimCLR on Fashion-MNIST written the way users write it —
torchvision transforms on PIL images in a DataLoader, a torch.nn model, NT-Xent, AdamW — with
the same model, batch size, augmentations, optimiser and thread count as the default project.
Prints one JSON line with the training throughput in views per second (both views counted)."""

import argparse
import gzip
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def read_images(path, count):
    with gzip.open(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    images = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows, cols)
    return images[:count]


class TwoViews(Dataset):
    def __init__(self, images, transform):
        self.images = images
        self.transform = transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.fromarray(self.images[i], mode="L")
        return self.transform(image), self.transform(image)


def small_cnn(width):
    layers, channels = [], 1
    for stage in range(4):
        out = width << stage
        layers += [nn.Conv2d(channels, out, 3, stride=1 if stage == 0 else 2, padding=1, bias=False),
                   nn.BatchNorm2d(out), nn.ReLU(inplace=True)]
        channels = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def nt_xent(zq, zk, temperature):
    z = F.normalize(torch.cat([zq, zk]), dim=1)
    logits = z @ z.t() / temperature
    logits.fill_diagonal_(float("-inf"))
    n = zq.shape[0]
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, targets)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10240)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--width", type=int, default=16)
    args = parser.parse_args()

    torch.manual_seed(1)
    torch.set_num_threads(args.threads)
    transform = transforms.Compose([
        transforms.RandomResizedCrop(28, scale=(0.3, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.RandomApply([transforms.ColorJitter(brightness=0.4, contrast=0.4)], p=0.8),
        transforms.ToTensor(),
    ])
    loader = DataLoader(TwoViews(read_images(DATA, args.samples), transform), batch_size=args.batch_size,
                        shuffle=True, num_workers=args.workers, drop_last=True, persistent_workers=False)
    encoder = small_cnn(args.width)
    head = nn.Sequential(nn.Linear(8 * args.width, 256, bias=False), nn.BatchNorm1d(256), nn.ReLU(inplace=True),
                         nn.Linear(256, 128))
    params = list(encoder.parameters()) + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=2e-3, weight_decay=1e-4)

    views, start = 0, time.perf_counter()
    for query, key in loader:
        n = query.shape[0]
        z = head(encoder(torch.cat([query, key])))
        loss = nt_xent(z[:n], z[n:], 0.2)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        views += 2 * n
    seconds = time.perf_counter() - start
    print(json.dumps({"views_per_s": views / seconds, "views": views, "seconds": seconds,
                      "loss": float(loss), "threads": args.threads, "workers": args.workers}))


if __name__ == "__main__":
    main()
