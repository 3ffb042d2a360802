#pragma once
// Errors a user can cause and fix: a bad file, an impossible parameter, a shape mismatch.
// Each message names the item (file, node, field or value), the limit it broke and the fix.
// Invariants inside the code use assert/TORCH_INTERNAL_ASSERT instead.

#include <stdexcept>
#include <string>

namespace crl {

/// A problem caused by user input. `what()` is a complete sentence meant for the user.
class UserError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A data file that cannot be read as what it claims to be (IDX, image, npy, checkpoint).
class DataError : public UserError {
public:
    using UserError::UserError;
};

/// A project file or pipeline graph that does not describe a valid pipeline.
class ProjectError : public UserError {
public:
    using UserError::UserError;
};

}  // namespace crl
