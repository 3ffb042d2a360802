#include "data/ImageDataset.h"

#include <ATen/ATen.h>

namespace crl::data {

ImageDataset ImageDataset::head(std::int64_t count) const {
    if (count <= 0 || count >= size()) {
        return *this;
    }

    // narrow() views the leading rows, so the subset shares storage and stays contiguous.
    ImageDataset subset = *this;
    subset.images = images.narrow(/*dim=*/0, /*start=*/0, /*length=*/count);
    subset.labels = labels.narrow(/*dim=*/0, /*start=*/0, /*length=*/count);
    subset.origin = origin + " (first " + std::to_string(count) + ")";
    return subset;
}

}  // namespace crl::data
