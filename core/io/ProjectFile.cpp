// Reading and writing *.crl.json. Parsing checks the file's form (keys, JSON types, ids, edge
// syntax) and nothing else: whether node types, parameters and connections make a pipeline is
// GraphValidation's question, asked against the catalogue.

#include "io/ProjectFile.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "common/Error.h"
#include "io/AtomicFile.h"

namespace crl::io {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kFormatName = "crl-workbench-project";
constexpr const char* kProjectSuffix = ".crl.json";

/// One key of the "run" section, bound to its RunSettings member. The table's order is the
/// order in which the keys are written.
struct RunField {
    const char* key;
    std::variant<int train::RunSettings::*, std::int64_t train::RunSettings::*,
                 double train::RunSettings::*, std::string train::RunSettings::*>
        member;
};

const std::vector<RunField>& runFields() {
    using train::RunSettings;
    static const std::vector<RunField> fields = {
        {"epochs", &RunSettings::epochs},
        {"batch_size", &RunSettings::batchSize},
        {"seed", &RunSettings::seed},
        {"device", &RunSettings::device},
        {"threads", &RunSettings::threads},
        {"metrics_every", &RunSettings::metricsEvery},
        {"monitor_samples", &RunSettings::monitorSamples},
        {"knn_k", &RunSettings::knnK},
        {"knn_temperature", &RunSettings::knnTemperature},
        {"max_samples", &RunSettings::maxSamples},
        {"max_eval_samples", &RunSettings::maxEvalSamples},
        {"checkpoint_every", &RunSettings::checkpointEvery},
    };
    return fields;
}

std::string joinQuoted(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "\"" : ", \"") + name + "\"";
    return text;
}

/// A JSON value as it appears in a message: its type and a short excerpt of its text.
std::string describeValue(const json& value) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return std::string(value.type_name()) + " " + text;
}

/// Walks the parsed document; every error names the origin file and the field at fault.
class Reader {
public:
    explicit Reader(std::string origin) : m_origin(std::move(origin)) {}

    Project read(const json& root) const {
        if (!root.is_object())
            fail("the top level must be a JSON object, found " + describeValue(root));
        checkFormat(root);
        rejectUnknownKeys(root, {"format", "version", "name", "description", "graph", "run"},
                          "the top level");

        Project project;
        project.name = requiredString(root, "name", "the top level");
        if (root.contains("description"))
            project.description = requiredString(root, "description", "the top level");

        if (!root.contains("graph") || !root["graph"].is_object())
            fail("\"graph\" must be an object with \"nodes\" and \"edges\" arrays");
        project.graph = readGraph(root["graph"]);

        if (root.contains("run"))
            project.run = readRun(root["run"]);
        return project;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw ProjectError(m_origin + ": " + problem + ".");
    }

    void checkFormat(const json& root) const {
        const auto format = root.find("format");
        if (format == root.end() || !format->is_string() || *format != kFormatName)
            fail(std::string("this is not a CRL Workbench project; \"format\" must be \"") +
                 kFormatName + "\"" +
                 (format == root.end() ? ", and it is missing"
                                       : ", found " + describeValue(*format)));

        const auto version = root.find("version");
        if (version == root.end() || !version->is_number_integer() || *version < 1)
            fail("\"version\" must be a positive integer, found " +
                 (version == root.end() ? std::string("nothing") : describeValue(*version)));
        if (*version > kProjectFormatVersion)
            throw ProjectError(
                m_origin + " was written by a newer CRL Workbench (project format version " +
                version->dump() + "); this version reads up to version " +
                std::to_string(kProjectFormatVersion) + ". Update CRL Workbench to open it.");
    }

    void rejectUnknownKeys(const json& object, const std::vector<std::string>& known,
                           const std::string& where) const {
        for (const auto& [key, value] : object.items())
            if (std::find(known.begin(), known.end(), key) == known.end())
                fail("unknown key \"" + key + "\" in " + where + "; known keys are " +
                     joinQuoted(known));
    }

    std::string requiredString(const json& object, const std::string& key,
                               const std::string& where) const {
        const auto it = object.find(key);
        if (it == object.end())
            fail("\"" + key + "\" is missing in " + where);
        if (!it->is_string())
            fail("\"" + key + "\" in " + where + " must be a string, found " + describeValue(*it));
        return it->get<std::string>();
    }

    const json& optionalArray(const json& object, const std::string& key) const {
        static const json empty = json::array();
        const auto it = object.find(key);
        if (it == object.end())
            return empty;
        if (!it->is_array())
            fail("\"graph\".\"" + key + "\" must be an array, found " + describeValue(*it));
        return *it;
    }

    graph::PipelineGraph readGraph(const json& graphJson) const {
        rejectUnknownKeys(graphJson, {"nodes", "edges"}, "\"graph\"");
        graph::PipelineGraph graph;

        std::set<std::string> ids;
        for (const auto& nodeJson : optionalArray(graphJson, "nodes")) {
            graph::Node node = readNode(nodeJson, graph.nodes.size());
            if (!ids.insert(node.id).second)
                fail("node id '" + node.id + "' is used twice; every node needs its own id");
            graph.nodes.push_back(std::move(node));
        }

        for (const auto& edgeJson : optionalArray(graphJson, "edges")) {
            const std::string where = "edge " + std::to_string(graph.edges.size() + 1);
            if (!edgeJson.is_object())
                fail(where + " must be an object with \"from\" and \"to\", found " +
                     describeValue(edgeJson));
            rejectUnknownKeys(edgeJson, {"from", "to"}, where);
            graph.edges.push_back({portRef(requiredString(edgeJson, "from", where), where),
                                   portRef(requiredString(edgeJson, "to", where), where)});
        }
        return graph;
    }

    graph::Node readNode(const json& nodeJson, std::size_t index) const {
        std::string where = "node " + std::to_string(index + 1);
        if (!nodeJson.is_object())
            fail(where + " must be an object, found " + describeValue(nodeJson));

        graph::Node node;
        node.id = requiredString(nodeJson, "id", where);
        if (node.id.empty() || node.id.find('.') != std::string::npos)
            fail(where + " has id '" + node.id +
                 "'; a node id must be non-empty and contain no '.', which separates node and "
                 "port in edges");
        where = "node '" + node.id + "'";
        rejectUnknownKeys(nodeJson, {"id", "type", "position", "params"}, where);
        node.type = requiredString(nodeJson, "type", where);

        if (const auto position = nodeJson.find("position"); position != nodeJson.end()) {
            if (!position->is_array() || position->size() != 2 || !(*position)[0].is_number() ||
                !(*position)[1].is_number())
                fail(where + ": \"position\" must be [x, y] with two numbers, found " +
                     describeValue(*position));
            node.x = (*position)[0].get<double>();
            node.y = (*position)[1].get<double>();
        }

        if (const auto params = nodeJson.find("params"); params != nodeJson.end()) {
            if (!params->is_object())
                fail(where + ": \"params\" must be an object, found " + describeValue(*params));
            for (const auto& [name, value] : params->items())
                node.params.emplace(name, paramValue(value, where, name));
        }
        return node;
    }

    graph::ParamValue paramValue(const json& value, const std::string& where,
                                 const std::string& name) const {
        switch (value.type()) {
            case json::value_t::boolean:
                return value.get<bool>();
            case json::value_t::number_integer:
                return value.get<std::int64_t>();
            case json::value_t::number_unsigned:
                if (value.get<std::uint64_t>() >
                    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    break;
                return static_cast<std::int64_t>(value.get<std::uint64_t>());
            case json::value_t::number_float:
                return value.get<double>();
            case json::value_t::string:
                return value.get<std::string>();
            default:
                break;
        }
        fail(where + ", parameter '" + name + "': found " + describeValue(value) +
             "; a parameter value must be true/false, a 64-bit integer, a number or a string");
    }

    graph::PortRef portRef(const std::string& text, const std::string& where) const {
        const auto dot = text.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == text.size() ||
            text.find('.', dot + 1) != std::string::npos)
            fail(where + ": \"" + text +
                 "\" must have the form \"nodeId.portName\" with exactly one '.'");
        return {text.substr(0, dot), text.substr(dot + 1)};
    }

    train::RunSettings readRun(const json& runJson) const {
        if (!runJson.is_object())
            fail("\"run\" must be an object, found " + describeValue(runJson));

        std::vector<std::string> known;
        for (const auto& field : runFields())
            known.emplace_back(field.key);
        rejectUnknownKeys(runJson, known, "\"run\"");

        // Keys left out keep the RunSettings defaults.
        train::RunSettings run;
        for (const auto& field : runFields()) {
            const auto it = runJson.find(field.key);
            if (it == runJson.end())
                continue;
            std::visit([&](auto member) { assign(run.*member, *it, field.key); }, field.member);
        }
        return run;
    }

    void wrongType(const std::string& key, const char* expected, const json& found) const {
        fail("\"run\".\"" + key + "\" must be " + expected + ", found " + describeValue(found));
    }

    template <typename Integer>
    void assign(Integer& target, const json& value,
                const std::string& key) const requires std::is_integral_v<Integer> {
        const char* expected = sizeof(Integer) == 4 ? "a 32-bit integer" : "a 64-bit integer";
        if (!value.is_number_integer())
            wrongType(key, expected, value);
        if (value.is_number_unsigned()
                ? value.get<std::uint64_t>() >
                      static_cast<std::uint64_t>(std::numeric_limits<Integer>::max())
                : value.get<std::int64_t>() < std::numeric_limits<Integer>::min() ||
                      value.get<std::int64_t>() > std::numeric_limits<Integer>::max())
            wrongType(key, expected, value);
        target = value.get<Integer>();
    }

    void assign(double& target, const json& value, const std::string& key) const {
        if (!value.is_number())
            wrongType(key, "a number", value);
        target = value.get<double>();
    }

    void assign(std::string& target, const json& value, const std::string& key) const {
        if (!value.is_string())
            wrongType(key, "a string", value);
        target = value.get<std::string>();
    }

    std::string m_origin;
};

/// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string parseErrorDetail(const json::parse_error& error) {
    std::string text = error.what();
    if (const auto close = text.find("] ");
        text.rfind("[json.exception", 0) == 0 && close != std::string::npos)
        text.erase(0, close + 2);
    return text;
}

/// A double for the file; non-finite values have no JSON form and would read back as null.
double finite(double value, const std::string& what) {
    if (!std::isfinite(value))
        throw ProjectError("Cannot save the project: " + what + " is " + std::to_string(value) +
                           "; only finite numbers can be written.");
    return value;
}

ordered_json paramJson(const graph::ParamValue& value, const std::string& what) {
    return std::visit(
        [&](const auto& v) -> ordered_json {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>)
                return finite(v, what);
            else
                return v;
        },
        value);
}

ordered_json runJson(const train::RunSettings& run) {
    ordered_json out = ordered_json::object();
    for (const auto& field : runFields())
        std::visit(
            [&](auto member) {
                if constexpr (std::is_same_v<decltype(member), double train::RunSettings::*>)
                    out[field.key] = finite(run.*member, std::string("run setting ") + field.key);
                else
                    out[field.key] = run.*member;
            },
            field.member);
    return out;
}

}  // namespace

Project parseProject(const std::string& text, const std::string& origin) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& error) {
        throw ProjectError(origin + " is not valid JSON: " + parseErrorDetail(error) + " (byte " +
                           std::to_string(error.byte) +
                           "). Fix the file in a text editor or restore it from a backup.");
    }
    return Reader(origin).read(root);
}

std::string serializeProject(const Project& project) {
    ordered_json root = ordered_json::object();
    root["format"] = kFormatName;
    root["version"] = kProjectFormatVersion;
    root["name"] = project.name;
    root["description"] = project.description;

    ordered_json nodes = ordered_json::array();
    for (const auto& node : project.graph.nodes) {
        // An id with '.' would make the edges unreadable, so it must not reach the disk.
        if (node.id.empty() || node.id.find('.') != std::string::npos)
            throw ProjectError("Cannot save the project: node id '" + node.id +
                               "' must be non-empty and contain no '.'. Rename the node.");
        const std::string what = "node '" + node.id + "'";
        ordered_json params = ordered_json::object();
        for (const auto& [name, value] : node.params)  // std::map: sorted by name
            params[name] = paramJson(value, what + ", parameter '" + name + "'");
        nodes.push_back(
            {{"id", node.id},
             {"type", node.type},
             {"position",
              {finite(node.x, what + " position x"), finite(node.y, what + " position y")}},
             {"params", std::move(params)}});
    }

    ordered_json edges = ordered_json::array();
    for (const auto& edge : project.graph.edges)
        edges.push_back({{"from", edge.from.node + "." + edge.from.port},
                         {"to", edge.to.node + "." + edge.to.port}});

    root["graph"] = {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
    root["run"] = runJson(project.run);

    try {
        return root.dump(2) + "\n";
    } catch (const ordered_json::type_error& error) {
        throw ProjectError(std::string("Cannot save the project: a text field is not valid "
                                       "UTF-8 (") +
                           error.what() + ").");
    }
}

fs::path resolveProjectPath(const fs::path& path) {
    std::error_code error;
    const auto status = fs::status(path, error);
    if (!fs::exists(status))
        throw ProjectError(path.string() +
                           " does not exist. Pass a *.crl.json file or a folder containing one.");
    if (!fs::is_directory(status))
        return path;

    std::vector<std::string> projects;
    std::vector<std::string> others;
    for (const auto& entry : fs::directory_iterator(path, error)) {
        const std::string name = entry.path().filename().string();
        const bool isProject = name.size() > std::char_traits<char>::length(kProjectSuffix) &&
                               name.ends_with(kProjectSuffix) && entry.is_regular_file();
        (isProject ? projects : others).push_back(name);
    }
    std::sort(projects.begin(), projects.end());
    std::sort(others.begin(), others.end());

    if (projects.size() == 1)
        return path / projects.front();
    if (projects.empty()) {
        if (others.size() > 10) {
            others.resize(10);
            others.emplace_back("...");
        }
        throw ProjectError("The folder " + path.string() + " contains no *.crl.json project file" +
                           (others.empty() ? std::string(" (it is empty)")
                                           : " (it contains " + joinQuoted(others) + ")") +
                           ". Pass the project file itself or a folder with exactly one.");
    }
    throw ProjectError("The folder " + path.string() + " contains several project files (" +
                       joinQuoted(projects) + "). Pass the one to open.");
}

Project loadProject(const fs::path& path) {
    const fs::path file = resolveProjectPath(path);

    std::ifstream stream(file, std::ios::binary);
    if (!stream)
        throw ProjectError("Could not open " + file.string() + ": " +
                           std::generic_category().message(errno) + ".");
    const std::string text{std::istreambuf_iterator<char>(stream),
                           std::istreambuf_iterator<char>()};
    if (stream.bad())
        throw ProjectError("Could not read " + file.string() + ": " +
                           std::generic_category().message(errno) + ".");

    Project project = parseProject(text, file.string());
    project.folder = fs::absolute(file).parent_path();
    return project;
}

void saveProject(const Project& project, const fs::path& path) {
    // Serialise first: a project that cannot be written must not disturb the file on disk.
    writeTextAtomically(path, serializeProject(project));
}

}  // namespace crl::io
