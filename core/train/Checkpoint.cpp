#include "train/Checkpoint.h"

#include <system_error>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "common/Error.h"

namespace crl::train {
namespace {

at::Tensor scalar(std::int64_t value) {
    return at::full({1}, value, at::kLong);
}

std::int64_t readScalar(torch::serialize::InputArchive& archive, const std::string& key) {
    at::Tensor value;
    if (!archive.try_read(key, value)) {
        throw DataError("the checkpoint has no '" + key + "' entry");
    }
    return value.item<std::int64_t>();
}

}  // namespace

void saveCheckpoint(const std::filesystem::path& path, graph::Plan& plan,
                    torch::optim::Optimizer* optimiser, const CheckpointState& state) {
    torch::serialize::OutputArchive archive;
    plan.save(archive);
    if (optimiser != nullptr) {
        torch::serialize::OutputArchive optimiserArchive;
        optimiser->save(optimiserArchive);
        archive.write("optimiser", optimiserArchive);
    }
    archive.write("run.step", scalar(state.step));
    archive.write("run.epoch", scalar(state.epoch));
    archive.write("run.seed", scalar(state.seed));
    archive.write("run.total_steps", scalar(state.totalSteps));

    // Write beside the target and rename over it, so the last good checkpoint survives a
    // crash, a full disk or a read-only folder.
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    std::filesystem::path temporary = path;
    temporary += ".partial";
    try {
        archive.save_to(temporary.string());
    } catch (const std::exception& e) {
        std::filesystem::remove(temporary, error);
        throw UserError(
            "could not write checkpoint " + path.string() + ": " + e.what() +
            ". The previous checkpoint is kept; free disk space or choose another --out folder.");
    }
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw UserError("could not move checkpoint into place at " + path.string() + ": " +
                        error.message());
    }
}

CheckpointState loadCheckpoint(const std::filesystem::path& path, graph::Plan& plan,
                               torch::optim::Optimizer* optimiser, c10::Device device) {
    if (!std::filesystem::is_regular_file(path)) {
        throw DataError("checkpoint " + path.string() + " does not exist");
    }
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path.string(), device);
    } catch (const std::exception& e) {
        throw DataError("checkpoint " + path.string() +
                        " cannot be read (damaged or not a checkpoint): " +
                        std::string(e.what()).substr(0, 200));
    }

    CheckpointState state;
    try {
        plan.load(archive);
        if (optimiser != nullptr) {
            torch::serialize::InputArchive optimiserArchive;
            if (archive.try_read("optimiser", optimiserArchive)) {
                optimiser->load(optimiserArchive);
            }
        }
        state.step = readScalar(archive, "run.step");
        state.epoch = readScalar(archive, "run.epoch");
        state.seed = readScalar(archive, "run.seed");
        state.totalSteps = readScalar(archive, "run.total_steps");
    } catch (const DataError& e) {
        throw DataError("checkpoint " + path.string() + ": " + e.what());
    } catch (const std::exception& e) {
        throw DataError("checkpoint " + path.string() +
                        " does not fit this pipeline: " + std::string(e.what()).substr(0, 300));
    }
    return state;
}

}  // namespace crl::train
