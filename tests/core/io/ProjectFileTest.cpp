// The project file: canonical round trips, the errors a user meets when a file is damaged or
// too new, folder resolution, and atomic saving that leaves the old file when it fails.

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/Error.h"
#include "io/AtomicFile.h"
#include "io/ProjectFile.h"

using crl::ProjectError;
using crl::UserError;
using crl::io::Project;

namespace fs = std::filesystem;

namespace {

/// A project that exercises every value kind, unsorted params and non-default run settings.
Project sampleProject() {
    Project project;
    project.name = "SimCLR on Fashion-MNIST";
    project.description = "Two augmented views per image; NT-Xent \"τ\" = 0.5.";
    project.graph.nodes = {
        {"data", "data.images", {{"source", std::string("builtin:fashion-mnist")}}, 0.0, 120.5},
        {"views",
         "similarity.augment",
         {{"crop_scale", 0.08}, {"flip", true}, {"blur", false}, {"size", std::int64_t{28}}},
         260.0,
         -40.25},
        {"loss", "loss.nt_xent", {{"temperature", 0.1}}, 900.0, 1e-3},
    };
    project.graph.edges = {{{"data", "images"}, {"views", "images"}},
                           {{"views", "views"}, {"loss", "z"}}};
    project.run.epochs = 3;
    project.run.batchSize = 128;
    project.run.seed = 1234567890123;
    project.run.device = "cpu";
    project.run.knnTemperature = 0.07;
    project.run.maxSamples = 5000;
    return project;
}

std::string readText(const fs::path& path) {
    std::ifstream stream(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

/// A minimal valid document with `run` and `nodes` spliced in.
std::string document(const std::string& nodes, const std::string& run = "{}",
                     const std::string& edges = "[]") {
    return R"({"format": "crl-workbench-project", "version": 1, "name": "t", "graph": {"nodes": )" +
           nodes + R"(, "edges": )" + edges + R"(}, "run": )" + run + "}";
}

std::string parseError(const std::string& json, const std::string& origin = "test.crl.json") {
    try {
        crl::io::parseProject(json, origin);
    } catch (const ProjectError& error) {
        return error.what();
    }
    return {};
}

#define QVERIFY_CONTAINS(haystack, needle)                                                      \
    QVERIFY2(QString::fromStdString(haystack).contains(QString::fromStdString(needle)),         \
             qPrintable(QString::fromStdString(std::string("\"") + (haystack) + "\" lacks \"" + \
                                               (needle) + "\"")))

}  // namespace

class ProjectFileTest : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsLosslessAndCanonical() {
        const Project project = sampleProject();

        const std::string first = crl::io::serializeProject(project);
        const Project reread = crl::io::parseProject(first, "memory");
        QVERIFY(reread == project);
        QCOMPARE(crl::io::serializeProject(reread), first);

        QVERIFY(first.ends_with("}\n"));
        QVERIFY(first.find("\n  \"format\": \"crl-workbench-project\",\n  \"version\": 1,") !=
                std::string::npos);
        // Parameters come out sorted by name, whatever order the file had.
        QVERIFY(first.find("\"blur\"") < first.find("\"crop_scale\""));
        QVERIFY(first.find("\"flip\"") < first.find("\"size\""));
        QVERIFY(first.find("\"from\": \"data.images\"") != std::string::npos);
    }

    void missingRunKeysTakeDefaults() {
        const Project project = crl::io::parseProject(document("[]", R"({"epochs": 7})"), "m");
        crl::train::RunSettings expected;
        expected.epochs = 7;
        QVERIFY(project.run == expected);
        QVERIFY(project.description.empty());
    }

    void paramKindsMapToVariantAlternatives() {
        const Project project =
            crl::io::parseProject(document(R"([{"id": "n", "type": "t", "position": [1, 2],
                          "params": {"b": true, "i": 3, "r": 3.0, "s": "x"}}])"),
                                  "m");
        const auto& params = project.graph.nodes.at(0).params;
        QVERIFY(std::holds_alternative<bool>(params.at("b")));
        QVERIFY(std::holds_alternative<std::int64_t>(params.at("i")));
        QVERIFY(std::holds_alternative<double>(params.at("r")));
        QVERIFY(std::holds_alternative<std::string>(params.at("s")));
        QCOMPARE(project.graph.nodes.at(0).x, 1.0);
        QCOMPARE(crl::graph::toString(params.at("r")), std::string("3.0"));
        QCOMPARE(crl::graph::toString(params.at("s")), std::string("\"x\""));
    }

    void newerVersionIsRefused() {
        const std::string message =
            parseError(R"({"format": "crl-workbench-project", "version": 7, "name": "t",
                           "graph": {"nodes": [], "edges": []}})",
                       "future.crl.json");
        QCOMPARE(message, std::string("future.crl.json was written by a newer CRL Workbench "
                                      "(project format version 7); this version reads up to "
                                      "version 1. Update CRL Workbench to open it."));
    }

    void wrongFormatIsRefused() {
        QVERIFY_CONTAINS(parseError(R"({"version": 1})"), "\"format\"");
        QVERIFY_CONTAINS(parseError(R"({"format": "other", "version": 1})"), "\"other\"");
    }

    void invalidJsonNamesFileAndPosition() {
        const std::string message = parseError(
            "{\n  \"format\": \"crl-workbench-project\",\n  "
            "\"version\": 1,,\n}",
            "broken.crl.json");
        QVERIFY_CONTAINS(message, "broken.crl.json");
        QVERIFY_CONTAINS(message, "line 3");
        QVERIFY_CONTAINS(message, "byte ");
        QVERIFY(message.find("[json.exception") == std::string::npos);
    }

    void badParamTypesAreRefused_data() {
        QTest::addColumn<QString>("value");
        QTest::newRow("array") << "[1, 2]";
        QTest::newRow("object") << R"({"a": 1})";
        QTest::newRow("null") << "null";
        QTest::newRow("huge unsigned") << "18446744073709551615";
    }

    void badParamTypesAreRefused() {
        QFETCH(QString, value);
        const std::string message =
            parseError(document(R"([{"id": "encoder", "type": "t", "params": {"width": )" +
                                value.toStdString() + "}}]"));
        QVERIFY_CONTAINS(message, "node 'encoder'");
        QVERIFY_CONTAINS(message, "parameter 'width'");
    }

    void unknownRunKeyListsKnownKeys() {
        const std::string message = parseError(document("[]", R"({"epoch": 3})"));
        QVERIFY_CONTAINS(message, "\"epoch\"");
        QVERIFY_CONTAINS(message, "\"epochs\"");
        QVERIFY_CONTAINS(message, "\"checkpoint_every\"");
    }

    void wrongRunTypesNameKeyExpectationAndValue_data() {
        QTest::addColumn<QString>("run");
        QTest::addColumn<QString>("expected");
        QTest::newRow("string for int")
            << R"({"epochs": "ten"})"
            << "\"epochs\" must be a 32-bit integer, found string \"ten\"";
        QTest::newRow("real for int")
            << R"({"batch_size": 2.5})"
            << "\"batch_size\" must be a 32-bit integer, found number 2.5";
        QTest::newRow("int overflow") << R"({"knn_k": 4294967296})"
                                      << "\"knn_k\" must be a 32-bit integer";
        QTest::newRow("bool for real")
            << R"({"knn_temperature": true})"
            << "\"knn_temperature\" must be a number, found boolean true";
        QTest::newRow("number for string") << R"({"device": 0})"
                                           << "\"device\" must be a string, found number 0";
    }

    void wrongRunTypesNameKeyExpectationAndValue() {
        QFETCH(QString, run);
        QFETCH(QString, expected);
        QVERIFY_CONTAINS(parseError(document("[]", run.toStdString())), expected.toStdString());
    }

    void duplicateNodeIdsAreRefused() {
        const std::string message =
            parseError(document(R"([{"id": "enc", "type": "a"}, {"id": "enc", "type": "b"}])"));
        QVERIFY_CONTAINS(message, "'enc' is used twice");
    }

    void nodeIdWithDotIsRefused() {
        QVERIFY_CONTAINS(parseError(document(R"([{"id": "a.b", "type": "t"}])")), "'a.b'");
    }

    void badEdgeStringsAreRefused_data() {
        QTest::addColumn<QString>("endpoint");
        QTest::newRow("no dot") << "data";
        QTest::newRow("two dots") << "data.images.x";
        QTest::newRow("empty node") << ".images";
        QTest::newRow("empty port") << "data.";
    }

    void badEdgeStringsAreRefused() {
        QFETCH(QString, endpoint);
        const std::string edges =
            "[{\"from\": \"" + endpoint.toStdString() + "\", \"to\": \"views.images\"}]";
        const std::string message = parseError(document("[]", "{}", edges));
        QVERIFY_CONTAINS(message, "edge 1");
        QVERIFY_CONTAINS(message, endpoint.toStdString());
    }

    void saveAndLoadThroughFolder() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path folder = dir.path().toStdString();
        const fs::path file = folder / "demo.crl.json";

        crl::io::saveProject(sampleProject(), file);
        const Project loaded = crl::io::loadProject(folder);
        QCOMPARE(loaded.folder, fs::absolute(folder));
        Project expected = sampleProject();
        expected.folder = loaded.folder;
        QVERIFY(loaded == expected);

        // No temporary files stay behind after a successful save.
        QCOMPARE(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
    }

    void folderWithoutOrWithSeveralProjectsIsRefused() {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        writeText(folder / "notes.txt", "x");
        try {
            crl::io::resolveProjectPath(folder);
            QFAIL("an empty folder resolved");
        } catch (const ProjectError& error) {
            QVERIFY_CONTAINS(std::string(error.what()), "no *.crl.json");
            QVERIFY_CONTAINS(std::string(error.what()), "notes.txt");
        }

        writeText(folder / "a.crl.json", "{}");
        QCOMPARE(crl::io::resolveProjectPath(folder), folder / "a.crl.json");

        writeText(folder / "b.crl.json", "{}");
        try {
            crl::io::resolveProjectPath(folder);
            QFAIL("a folder with two projects resolved");
        } catch (const ProjectError& error) {
            QVERIFY_CONTAINS(std::string(error.what()), "\"a.crl.json\", \"b.crl.json\"");
        }

        QVERIFY_THROWS_EXCEPTION(ProjectError, crl::io::resolveProjectPath(folder / "missing"));
    }

    void shippedExampleLoadsAndRoundTrips() {
        const fs::path folder = fs::path(CRL_SOURCE_DIR) / "projects" / "simclr-fashion-mnist";
        const Project project = crl::io::loadProject(folder);
        QVERIFY(!project.name.empty());
        QVERIFY(!project.graph.nodes.empty());
        QVERIFY(crl::io::parseProject(crl::io::serializeProject(project), "memory").graph ==
                project.graph);
    }

    void failedSaveKeepsTheOldFile() {
        QTemporaryDir dir;
        const fs::path old = fs::path(dir.path().toStdString()) / "old.crl.json";
        crl::io::saveProject(sampleProject(), old);
        const std::string before = readText(old);

        // Tests run as root, where a read-only folder still accepts writes; a path under a
        // regular file fails for everyone.
        const fs::path impossible = old / "new.crl.json";
        try {
            crl::io::saveProject(Project{}, impossible);
            QFAIL("saving under a regular file succeeded");
        } catch (const UserError& error) {
            QVERIFY_CONTAINS(std::string(error.what()), impossible.string());
            QVERIFY_CONTAINS(std::string(error.what()), "Not a directory");
        }
        QCOMPARE(readText(old), before);
        QVERIFY(crl::io::loadProject(old).graph == sampleProject().graph);
    }

    void writerThatThrowsLeavesNoTrace() {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const fs::path file = folder / "x.crl.json";
        crl::io::writeTextAtomically(file, "old\n");

        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 crl::io::writeAtomically(file, [](std::ostream& out) {
                                     out << "half";
                                     throw std::runtime_error("interrupted");
                                 }));
        QCOMPARE(readText(file), std::string("old\n"));
        QCOMPARE(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
    }
};

QTEST_GUILESS_MAIN(ProjectFileTest)
#include "ProjectFileTest.moc"
