#include "losses/miners/TripletMiner.h"

#include <ATen/ATen.h>

namespace crl::losses {

LabelMasks labelMasks(const at::Tensor& labels) {
    at::Tensor same = labels.unsqueeze(0) == labels.unsqueeze(1);
    at::Tensor self = at::eye(labels.size(0), labels.options().dtype(at::kBool));
    return {same & ~self, ~same};
}

}  // namespace crl::losses
