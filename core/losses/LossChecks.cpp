#include "losses/LossChecks.h"

#include <sstream>

#include <ATen/ATen.h>

#include "common/Error.h"

namespace crl::losses {

namespace {

std::string shapeText(const at::Tensor& x) {
    std::ostringstream text;
    text << x.sizes();
    return text.str();
}

}  // namespace

std::string formatValue(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

void requirePositive(const std::string& what, double value, const std::string& usualRange) {
    if (!(value > 0.0)) {
        throw UserError(what + " must be > 0 (got " + formatValue(value) + "); " + usualRange +
                        " are usual values");
    }
}

void requireNonNegative(const std::string& what, double value, const std::string& usualRange) {
    if (!(value >= 0.0)) {
        throw UserError(what + " must be >= 0 (got " + formatValue(value) + "); " + usualRange +
                        " are usual values");
    }
}

void requireEmbeddings(const std::string& loss, const std::string& name, const at::Tensor& x,
                       std::int64_t minRows) {
    if (x.dim() != 2) {
        throw UserError(loss + " expects " + name + " of shape (N, d); got " + shapeText(x) +
                        ". Flatten the embeddings to one row per sample.");
    }
    if (x.size(0) < minRows) {
        throw UserError(loss + " needs at least " + std::to_string(minRows) + " rows of " + name +
                        "; got " + std::to_string(x.size(0)) + ". Raise the batch size.");
    }
}

void requireSameShape(const std::string& loss, const at::Tensor& a, const at::Tensor& b) {
    if (a.dim() != 2 || b.dim() != 2 || a.sizes() != b.sizes()) {
        throw UserError(loss + " expects two (N, d) inputs of the same shape; got " + shapeText(a) +
                        " and " + shapeText(b) +
                        ". Both branches must give one embedding per sample of equal width.");
    }
}

void requireSameRows(const std::string& loss, const at::Tensor& a, const at::Tensor& b) {
    if (a.dim() != 2 || b.dim() != 2 || a.size(0) != b.size(0)) {
        throw UserError(loss + " expects queries (N, d) and their positive keys (N, d'); got " +
                        shapeText(a) + " and " + shapeText(b) + ". Give one key per query.");
    }
}

void requireLabels(const std::string& loss, const at::Tensor& embeddings,
                   const at::Tensor& labels) {
    if (labels.dim() != 1 || labels.size(0) != embeddings.size(0) ||
        at::isFloatingType(labels.scalar_type())) {
        throw UserError(loss + " expects one integer label per embedding; got labels " +
                        shapeText(labels) + " for embeddings " + shapeText(embeddings) + ".");
    }
}

at::Tensor toComputeType(const at::Tensor& x) {
    if (x.scalar_type() == at::kHalf || x.scalar_type() == at::kBFloat16) {
        return x.to(at::kFloat);
    }
    return x;
}

at::Tensor zeroLoss(const at::Tensor& x) {
    return x.sum() * 0.0;
}

}  // namespace crl::losses
