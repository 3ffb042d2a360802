#pragma once
// Which training devices this build and machine offer, asked without pulling LibTorch's headers
// into the caller: the GUI's device chooser (crl_widgets and the workbench's headers stay
// torch-free) lists exactly what Trainer::resolveDevice will accept.

#include <string>
#include <vector>

namespace crl::train {

/// True when LibTorch was built with CUDA and at least one CUDA device is visible.
bool cudaAvailable();

/// The explicit device settings that can run here: always "cpu", then "cuda" when available.
std::vector<std::string> availableDevices();

}  // namespace crl::train
