// Precompiled header for every translation unit that uses LibTorch. The narrowest headers that
// cover what core/ and its tests use: tensors, modules, optimisers and serialisation.
#pragma once
#include <ATen/ATen.h>
#include <torch/nn.h>
#include <torch/optim.h>
#include <torch/serialize.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>
