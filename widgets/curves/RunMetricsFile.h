#pragma once
// Reads a run folder's metrics.jsonl (one JSON object per run event, written by the trainer)
// back into run events, so an earlier run can be drawn behind the live curves. Qt-free.

#include <filesystem>
#include <vector>

#include "train/RunEvents.h"

namespace crl::widgets {

/// Reads `path`: a run folder holding metrics.jsonl, or the file itself. Numbers become
/// metrics, nulls (non-finite values) are skipped, blank and truncated last lines are ignored
/// (a run that is still writing). Throws DataError naming the file and line for anything else.
std::vector<train::RunEvent> readRunMetrics(const std::filesystem::path& path);

}  // namespace crl::widgets
