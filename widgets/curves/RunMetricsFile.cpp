#include "widgets/curves/RunMetricsFile.h"

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "common/Error.h"

namespace crl::widgets {

namespace {

train::RunEvent::Kind kindNamed(const std::string& name) {
    using Kind = train::RunEvent::Kind;
    if (name == "monitor")
        return Kind::Monitor;
    if (name == "epoch")
        return Kind::Epoch;
    if (name == "checkpoint")
        return Kind::Checkpoint;
    if (name == "message")
        return Kind::Message;
    if (name == "finished")
        return Kind::Finished;
    return Kind::Step;
}

}  // namespace

std::vector<train::RunEvent> readRunMetrics(const std::filesystem::path& path) {
    const std::filesystem::path file =
        std::filesystem::is_directory(path) ? path / "metrics.jsonl" : path;
    std::ifstream in(file);
    if (!in)
        throw DataError("cannot read " + file.string() +
                        "; pick a run folder that holds a metrics.jsonl file");

    std::vector<train::RunEvent> events;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
        if (object.is_discarded() || !object.is_object()) {
            // A run still writing may leave its last line half done.
            if (in.peek() == std::char_traits<char>::eof())
                break;
            throw DataError(file.string() + " line " + std::to_string(number) +
                            " is not a JSON object; is this a metrics.jsonl written by a run?");
        }

        train::RunEvent event;
        for (const auto& [name, value] : object.items()) {
            if (name == "event" && value.is_string())
                event.kind = kindNamed(value.get<std::string>());
            else if (name == "step" && value.is_number())
                event.step = value.get<std::int64_t>();
            else if (name == "epoch" && value.is_number())
                event.epoch = value.get<std::int64_t>();
            else if (name == "text" && value.is_string())
                event.text = value.get<std::string>();
            else if (value.is_number())
                event.metrics[name] = value.get<double>();
        }
        events.push_back(std::move(event));
    }
    if (events.empty())
        throw DataError(file.string() +
                        " holds no run events; pick a run that has trained at "
                        "least one step");
    return events;
}

}  // namespace crl::widgets
