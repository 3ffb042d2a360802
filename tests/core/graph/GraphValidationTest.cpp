// Graph validation against the node catalogue: the shipped SimCLR project is valid, each kind
// of fault made to it is reported on the right node with a message that names the problem,
// connectionProblem refuses bad links with a reason, and every catalogue entry is complete.

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>

#include <QTest>

#include "graph/GraphValidation.h"
#include "graph/NodeCatalogue.h"
#include "graph/PipelineGraph.h"
#include "io/ProjectFile.h"
#include "train/MonitorSettings.h"

using namespace crl::graph;

namespace {

PipelineGraph simclrGraph() {
    return crl::io::loadProject(std::filesystem::path(CRL_SOURCE_DIR) /
                                "projects/simclr-fashion-mnist/simclr-fashion-mnist.crl.json")
        .graph;
}

void removeNode(PipelineGraph& graph, const std::string& id) {
    std::erase_if(graph.nodes, [&](const Node& node) { return node.id == id; });
    std::erase_if(graph.edges,
                  [&](const Edge& edge) { return edge.from.node == id || edge.to.node == id; });
}

void removeEdgeInto(PipelineGraph& graph, const PortRef& input) {
    std::erase_if(graph.edges, [&](const Edge& edge) { return edge.to == input; });
}

QString listed(const std::vector<ValidationIssue>& issues) {
    QString text;
    for (const ValidationIssue& issue : issues) {
        text += "\n  [" + QString::fromStdString(issue.node) + "] " +
                QString::fromStdString(issue.describe());
    }
    return text;
}

/// The faults the validation rows make to the SimCLR graph, by name.
const std::map<QString, std::function<void(PipelineGraph&)>>& faults() {
    static const std::map<QString, std::function<void(PipelineGraph&)>> table = {
        {"unknown type", [](PipelineGraph& g) { g.findNode("head")->type = "head.transformer"; }},
        {"unknown param",
         [](PipelineGraph& g) { g.findNode("encoder")->params["depth"] = std::int64_t{18}; }},
        {"text for real",
         [](PipelineGraph& g) { g.findNode("loss")->params["temperature"] = std::string("hot"); }},
        {"real for int", [](PipelineGraph& g) { g.findNode("encoder")->params["width"] = 16.5; }},
        {"int for bool",
         [](PipelineGraph& g) { g.findNode("head")->params["batch_norm"] = std::int64_t{1}; }},
        {"unknown choice",
         [](PipelineGraph& g) {
             g.findNode("optimiser")->params["algorithm"] = std::string("rmsprop");
         }},
        {"real above range",
         [](PipelineGraph& g) { g.findNode("loss")->params["temperature"] = 20.0; }},
        {"real below range",
         [](PipelineGraph& g) { g.findNode("loss")->params["temperature"] = 0.0; }},
        {"int below range",
         [](PipelineGraph& g) { g.findNode("encoder")->params["width"] = std::int64_t{2}; }},
        {"dangling edge",
         [](PipelineGraph& g) {
             g.edges.push_back({{"data", "images"}, {"ghost", "images"}});
         }},
        {"port type mismatch",
         [](PipelineGraph& g) {
             removeEdgeInto(g, {"encoder", "views"});
             g.edges.push_back({{"data", "images"}, {"encoder", "views"}});
         }},
        {"unknown port",
         [](PipelineGraph& g) {
             g.edges.push_back({{"data", "masks"}, {"views", "images"}});
         }},
        {"input fed twice",
         [](PipelineGraph& g) {
             g.edges.push_back({{"views", "views"}, {"encoder", "views"}});
         }},
        {"input unconnected",
         [](PipelineGraph& g) {
             removeEdgeInto(g, {"loss", "embedding"});
         }},
        {"cycle",
         [](PipelineGraph& g) {
             g.edges.push_back({{"loss", "loss"}, {"views", "images"}});
         }},
        {"duplicate id",
         [](PipelineGraph& g) {
             Node copy = *g.findNode("head");
             copy.x += 100.0;
             g.nodes.push_back(copy);
         }},
        {"bad id",
         [](PipelineGraph& g) {
             g.nodes.push_back({"head.2", "head.mlp_projection", {}, 0.0, 0.0});
         }},
        {"no data", [](PipelineGraph& g) { removeNode(g, "data"); }},
        {"no encoder", [](PipelineGraph& g) { removeNode(g, "encoder"); }},
        {"no loss", [](PipelineGraph& g) { removeNode(g, "loss"); }},
        {"no optimiser", [](PipelineGraph& g) { removeNode(g, "optimiser"); }},
        {"two optimisers",
         [](PipelineGraph& g) {
             g.nodes.push_back({"optimiser_2", "optim.optimiser", {}, 0.0, 0.0});
         }},
    };
    return table;
}

bool holds(const ParamSpec& spec) {
    switch (spec.kind) {
        case ParamKind::Bool:
            return std::holds_alternative<bool>(spec.defaultValue);
        case ParamKind::Int:
            return std::holds_alternative<std::int64_t>(spec.defaultValue);
        case ParamKind::Real:
            return std::holds_alternative<double>(spec.defaultValue);
        case ParamKind::Choice:
        case ParamKind::Text:
        case ParamKind::Path:
            return std::holds_alternative<std::string>(spec.defaultValue);
    }
    return false;
}

}  // namespace

class GraphValidationTest : public QObject {
    Q_OBJECT

private slots:
    void shippedSimclrGraphIsValid() {
        const PipelineGraph graph = simclrGraph();
        QCOMPARE(graph.nodes.size(), std::size_t{8});

        const std::vector<ValidationIssue> issues = validate(graph);

        QVERIFY2(issues.empty(), qPrintable(listed(issues)));
    }

    void faultsAreReportedOnTheirNode_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QStringList>("phrases");
        QTest::addColumn<int>("count");

        QTest::newRow("unknown node type")
            << "unknown type"
            << "head"
            << "" << QStringList{"unknown node type 'head.transformer'"} << 1;
        QTest::newRow("unknown parameter")
            << "unknown param"
            << "encoder"
            << "depth" << QStringList{"is not a parameter of encoder.small_cnn", "width"} << 1;
        QTest::newRow("text for a real")
            << "text for real"
            << "loss"
            << "temperature" << QStringList{"expected a number", "\"hot\""} << 1;
        QTest::newRow("real for an int")
            << "real for int"
            << "encoder"
            << "width" << QStringList{"expected a whole number", "16.5"} << 1;
        QTest::newRow("int for a bool")
            << "int for bool"
            << "head"
            << "batch_norm" << QStringList{"expected true or false", "got 1"} << 1;
        QTest::newRow("unknown choice")
            << "unknown choice"
            << "optimiser"
            << "algorithm" << QStringList{"expected one of sgd, adam, adamw", "\"rmsprop\""} << 1;
        QTest::newRow("real above range")
            << "real above range"
            << "loss"
            << "temperature" << QStringList{"20.0 is outside the allowed range 0.001 to 10"} << 1;
        QTest::newRow("real below range")
            << "real below range"
            << "loss"
            << "temperature" << QStringList{"0.0 is outside the allowed range 0.001 to 10"} << 1;
        QTest::newRow("int below range")
            << "int below range"
            << "encoder"
            << "width" << QStringList{"2 is outside the allowed range 4 to 256 channels"} << 1;
        QTest::newRow("dangling edge")
            << "dangling edge"
            << ""
            << "" << QStringList{"data.images -> ghost.images", "missing node 'ghost'"} << 1;
        QTest::newRow("port type mismatch")
            << "port type mismatch"
            << "encoder"
            << "views" << QStringList{"connects Images to", "Views input"} << 1;
        QTest::newRow("unknown output port")
            << "unknown port"
            << "data"
            << "masks" << QStringList{"no output port 'masks'"} << 1;
        QTest::newRow("input fed twice")
            << "input fed twice"
            << "encoder"
            << "views" << QStringList{"fed by more than one edge"} << 1;
        QTest::newRow("required input unconnected")
            << "input unconnected"
            << "loss"
            << "embedding" << QStringList{"required Embedding input is not connected"} << 1;
        // loss.loss -> views.images is also a type mismatch and a second feed of views.images.
        QTest::newRow("cycle") << "cycle"
                               << ""
                               << "" << QStringList{"contains a cycle"} << 3;
        QTest::newRow("duplicate ids") << "duplicate id"
                                       << "head"
                                       << "" << QStringList{"used by more than one node"} << 1;
        QTest::newRow("id with a dot") << "bad id"
                                       << "head.2"
                                       << "" << QStringList{"contain no '.'"} << 2;
        // Removing a node also leaves the inputs it fed unconnected.
        QTest::newRow("missing data node") << "no data"
                                           << ""
                                           << "" << QStringList{"no data set node"} << 2;
        QTest::newRow("missing encoder node") << "no encoder"
                                              << ""
                                              << "" << QStringList{"no encoder node"} << 3;
        QTest::newRow("missing loss node") << "no loss"
                                           << ""
                                           << "" << QStringList{"no loss node"} << 2;
        QTest::newRow("missing optimiser node") << "no optimiser"
                                                << ""
                                                << "" << QStringList{"no optimiser node"} << 1;
        QTest::newRow("two optimisers")
            << "two optimisers"
            << ""
            << "" << QStringList{"2 optimiser nodes", "keep exactly one"} << 2;
    }

    void faultsAreReportedOnTheirNode() {
        QFETCH(QString, fault);
        QFETCH(QString, node);
        QFETCH(QString, field);
        QFETCH(QStringList, phrases);
        QFETCH(int, count);
        PipelineGraph graph = simclrGraph();
        faults().at(fault)(graph);

        const std::vector<ValidationIssue> issues = validate(graph);

        auto matches = [&](const ValidationIssue& issue) {
            const QString message = QString::fromStdString(issue.message);
            return issue.node == node.toStdString() && issue.field == field.toStdString() &&
                   std::all_of(phrases.begin(), phrases.end(),
                               [&](const QString& phrase) { return message.contains(phrase); });
        };
        QVERIFY2(std::any_of(issues.begin(), issues.end(), matches),
                 qPrintable("no issue on '" + node + "' saying " + phrases.join(" / ") + "; got" +
                            listed(issues)));
        QVERIFY2(static_cast<int>(issues.size()) == count,
                 qPrintable(QString("expected %1 issues, got").arg(count) + listed(issues)));
    }

    void connectionProblemRefusesBadLinksWithAReason_data() {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("reason");
        QTest::newRow("incompatible types") << "types"
                                            << "'images' carries Images but 'views' takes Views";
        QTest::newRow("input already taken") << "taken"
                                             << "'encoder.views' is already connected";
        QTest::newRow("not an output port") << "ports"
                                            << "connect an output port to an input port";
        QTest::newRow("missing node") << "missing"
                                      << "both ends must be nodes";
        QTest::newRow("cycle") << "cycle"
                               << "would form a cycle";
        QTest::newRow("valid link") << "valid"
                                    << "";
    }

    void connectionProblemRefusesBadLinksWithAReason() {
        QFETCH(QString, link);
        QFETCH(QString, reason);
        PipelineGraph graph = simclrGraph();
        PortRef from;
        PortRef to;
        if (link == "types") {
            removeEdgeInto(graph, {"encoder", "views"});
            from = {"data", "images"};
            to = {"encoder", "views"};
        } else if (link == "taken") {
            from = {"views", "views"};
            to = {"encoder", "views"};
        } else if (link == "ports") {
            removeEdgeInto(graph, {"encoder", "views"});
            from = {"encoder", "views"};
            to = {"views", "views"};
        } else if (link == "missing") {
            from = {"ghost", "views"};
            to = {"encoder", "views"};
        } else if (link == "cycle") {
            // A project file can hold a mistyped edge back upstream (head -> views); closing
            // the loop with a well-typed link must still be refused.
            removeEdgeInto(graph, {"views", "images"});
            removeEdgeInto(graph, {"encoder", "views"});
            graph.edges.push_back({{"head", "embedding"}, {"views", "images"}});
            from = {"views", "views"};
            to = {"encoder", "views"};
        } else {
            removeEdgeInto(graph, {"loss", "embedding"});
            from = {"head", "embedding"};
            to = {"loss", "embedding"};
        }

        const std::string problem = connectionProblem(graph, from, to);

        if (reason.isEmpty()) {
            QVERIFY2(problem.empty(), problem.c_str());
        } else {
            QVERIFY2(QString::fromStdString(problem).contains(reason),
                     qPrintable("got \"" + QString::fromStdString(problem) + "\""));
        }
    }

    void everyCatalogueEntryIsComplete() {
        const std::vector<NodeType>& types = NodeCatalogue::instance().types();
        QVERIFY(!types.empty());

        for (const NodeType& type : types) {
            const QString where = QString::fromStdString(type.id);
            QVERIFY2(!type.id.empty() && !type.title.empty() && !type.help.empty(),
                     qPrintable(where));
            QVERIFY2(type.surveySection.starts_with("§") && type.surveySection.size() > 2,
                     qPrintable(where + ": survey section " +
                                QString::fromStdString(type.surveySection)));
            QVERIFY2(type.build != nullptr, qPrintable(where + ": no build function"));
            QCOMPARE(NodeCatalogue::instance().find(type.id), &type);
            for (const auto* ports : {&type.inputs, &type.outputs}) {
                for (const PortSpec& port : *ports) {
                    QVERIFY2(!port.name.empty() && !port.help.empty(), qPrintable(where));
                    QVERIFY2(toString(port.type) != "?",
                             qPrintable(where + "." + QString::fromStdString(port.name)));
                }
            }

            Node defaults{"n", type.id, {}, 0.0, 0.0};
            for (const ParamSpec& spec : type.params) {
                const QString param = where + "." + QString::fromStdString(spec.name);
                QVERIFY2(!spec.name.empty() && !spec.help.empty(), qPrintable(param));
                QVERIFY2(holds(spec), qPrintable(param + ": default of the wrong type"));
                if (spec.kind == ParamKind::Int || spec.kind == ParamKind::Real) {
                    const double value =
                        spec.kind == ParamKind::Int
                            ? static_cast<double>(std::get<std::int64_t>(spec.defaultValue))
                            : std::get<double>(spec.defaultValue);
                    QVERIFY2(spec.minimum <= value && value <= spec.maximum,
                             qPrintable(param + ": default outside its range"));
                }
                if (spec.kind == ParamKind::Choice) {
                    const auto& choice = std::get<std::string>(spec.defaultValue);
                    QVERIFY2(std::find(spec.choices.begin(), spec.choices.end(), choice) !=
                                 spec.choices.end(),
                             qPrintable(param + ": default is not one of its choices"));
                }
                defaults.params[spec.name] = spec.defaultValue;
            }

            // The validator agrees: a node with every default spelled out has no parameter issue.
            PipelineGraph graph;
            graph.nodes.push_back(defaults);
            for (const ValidationIssue& issue : validate(graph)) {
                QVERIFY2(defaults.params.count(issue.field) == 0 || issue.field.empty(),
                         qPrintable(where + ": " + QString::fromStdString(issue.describe())));
            }
        }
    }

    void catalogueCoversEveryRequiredFamily() {
        std::map<Family, int> counts;
        for (const NodeType& type : NodeCatalogue::instance().types()) {
            ++counts[type.family];
        }

        for (Family family : {Family::Data, Family::Similarity, Family::Encoder, Family::Head,
                              Family::Loss, Family::Optimiser, Family::Monitor}) {
            QVERIFY2(counts[family] > 0, toString(family).data());
        }
    }

    void monitorNodesSetWhatTheTrainerMeasures() {
        PipelineGraph graph = simclrGraph();
        crl::train::RunSettings defaults;
        defaults.knnK = 7;
        defaults.metricsEvery = 13;

        // The shipped project's monitors carry the catalogue defaults.
        crl::train::RunSettings applied = crl::train::withMonitorNodes(graph, defaults);
        QCOMPARE(applied.knnK, 20);
        QCOMPARE(applied.knnTemperature, 0.07);
        QCOMPARE(applied.metricsEvery, 50);
        QCOMPARE(applied.monitorSamples, 1024);

        graph.findNode("knn")->params["k"] = ParamValue{std::int64_t{5}};
        graph.findNode("knn")->params["temperature"] = ParamValue{0.5};
        graph.findNode("quality")->params["every"] = ParamValue{std::int64_t{3}};
        graph.findNode("quality")->params["pairs"] = ParamValue{std::int64_t{64}};
        applied = crl::train::withMonitorNodes(graph, defaults);
        QCOMPARE(applied.knnK, 5);
        QCOMPARE(applied.knnTemperature, 0.5);
        QCOMPARE(applied.metricsEvery, 3);
        QCOMPARE(applied.monitorSamples, 64);

        // Without monitor nodes the run section's values stand.
        removeNode(graph, "knn");
        removeNode(graph, "quality");
        QVERIFY(validate(graph).empty());
        applied = crl::train::withMonitorNodes(graph, defaults);
        QCOMPARE(applied.knnK, 7);
        QCOMPARE(applied.metricsEvery, 13);
    }

    void aSecondMonitorOfOneKindIsRefused() {
        PipelineGraph graph = simclrGraph();
        Node second = *graph.findNode("knn");
        second.id = "knn_2";
        graph.nodes.push_back(second);
        graph.edges.push_back({{"encoder", "representation"}, {"knn_2", "representation"}});

        const std::vector<ValidationIssue> issues = validate(graph);
        QCOMPARE(issues.size(), std::size_t{1});
        QVERIFY2(issues[0].message.find("2 'monitor.knn' nodes") != std::string::npos,
                 issues[0].message.c_str());
        QVERIFY(issues[0].message.find("keep exactly one") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(GraphValidationTest)
#include "GraphValidationTest.moc"
