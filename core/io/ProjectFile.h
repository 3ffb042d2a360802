#pragma once
// The project file (*.crl.json): versioned JSON holding the pipeline graph (nodes, parameters,
// positions, edges; data-set references live in the data node's `source`) and the run settings.
// GUI and CLI read and write exactly this format. Saving is atomic; a file written by a newer
// version of the workbench is refused with a message saying so.

#include <filesystem>
#include <string>

#include "graph/PipelineGraph.h"
#include "train/RunSettings.h"

namespace crl::io {

inline constexpr int kProjectFormatVersion = 1;

struct Project {
    std::string name;
    std::string description;
    graph::PipelineGraph graph;
    train::RunSettings run;
    /// The folder relative data paths resolve against; set by load(), empty for a new project.
    std::filesystem::path folder;

    bool operator==(const Project&) const = default;
};

/// Parses a project from JSON text; `origin` names the file in error messages.
/// Throws ProjectError naming the field and the expected form.
Project parseProject(const std::string& json, const std::string& origin);

/// Serialises to the canonical JSON text (2-space indent, stable key order, trailing newline).
std::string serializeProject(const Project& project);

/// Reads `path`; accepts a project folder too (it then reads the one *.crl.json inside).
Project loadProject(const std::filesystem::path& path);

/// Writes atomically (temporary file, flush, rename); the old file stays if anything fails.
void saveProject(const Project& project, const std::filesystem::path& path);

/// Resolves a project path argument: a *.crl.json file, or a folder containing exactly one.
std::filesystem::path resolveProjectPath(const std::filesystem::path& path);

}  // namespace crl::io
