#include "train/Devices.h"

#include <torch/cuda.h>

namespace crl::train {

bool cudaAvailable() {
    return torch::cuda::is_available();
}

std::vector<std::string> availableDevices() {
    std::vector<std::string> devices{"cpu"};
    if (cudaAvailable()) {
        devices.push_back("cuda");
    }
    return devices;
}

}  // namespace crl::train
