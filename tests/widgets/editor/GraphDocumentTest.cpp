// GraphDocument: building a pipeline through the editor's API, refusing links with a reason,
// undo and redo of every kind of edit back to the exact previous graph, and saving.

#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "graph/GraphValidation.h"
#include "io/ProjectFile.h"
#include "widgets/editor/AutoLayout.h"
#include "widgets/editor/GraphClipboard.h"
#include "widgets/editor/GraphDocument.h"

using crl::graph::Edge;
using crl::graph::ParamValue;
using crl::graph::PipelineGraph;
using crl::graph::PortRef;
using crl::widgets::GraphDocument;

namespace {

const std::filesystem::path kDefaultProject =
    std::filesystem::path(CRL_SOURCE_DIR) / "projects/simclr-fashion-mnist";

/// The shipped SimCLR example, built node by node and link by link as a user would.
void buildSimclr(GraphDocument& document) {
    document.addNode("data.images", {0, 120}, "data");
    document.addNode("similarity.augment_views", {260, 120}, "views");
    document.addNode("encoder.small_cnn", {520, 120}, "encoder");
    document.addNode("head.mlp_projection", {780, 120}, "head");
    document.addNode("loss.nt_xent", {1040, 120}, "loss");
    document.addNode("optim.optimiser", {1300, 120}, "optimiser");
    document.addNode("monitor.knn", {780, 340}, "knn");
    document.addNode("monitor.embedding_quality", {1040, 340}, "quality");

    document.setParameter("data", "source", ParamValue{std::string("builtin:fashion-mnist")});
    document.setParameter("encoder", "width", ParamValue{std::int64_t{16}});
    document.setParameter("head", "hidden_dim", ParamValue{std::int64_t{256}});
    document.setParameter("head", "out_dim", ParamValue{std::int64_t{128}});
    document.setParameter("loss", "temperature", ParamValue{0.1});
    document.setParameter("optimiser", "algorithm", ParamValue{std::string("adamw")});
    document.setParameter("optimiser", "lr", ParamValue{0.002});

    document.connectPorts({"data", "images"}, {"views", "images"});
    document.connectPorts({"views", "views"}, {"encoder", "views"});
    document.connectPorts({"encoder", "representation"}, {"head", "representation"});
    document.connectPorts({"head", "embedding"}, {"loss", "embedding"});
    document.connectPorts({"loss", "loss"}, {"optimiser", "loss"});
    document.connectPorts({"encoder", "representation"}, {"knn", "representation"});
    document.connectPorts({"head", "embedding"}, {"quality", "embedding"});
}

/// A document holding the shipped example, with a clean undo stack.
std::unique_ptr<GraphDocument> simclrDocument() {
    auto document = std::make_unique<GraphDocument>();
    buildSimclr(*document);
    document->undoStack()->clear();
    return document;
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

class GraphDocumentTest : public QObject {
    Q_OBJECT

private slots:
    void buildsTheShippedSimclrPipeline() {
        GraphDocument document;
        QVERIFY(!document.isValid());

        buildSimclr(document);

        const crl::io::Project shipped = crl::io::loadProject(kDefaultProject);
        QVERIFY(document.graph() == shipped.graph);
        QVERIFY2(document.isValid(), qPrintable(document.graphProblems().join('\n')));
        QVERIFY(crl::graph::validate(document.graph()).empty());
        QVERIFY(document.isModified());
    }

    void newNodesGetUniqueIdsFromTheirFamily() {
        GraphDocument document;
        QCOMPARE(document.addNode("encoder.small_cnn", {0, 0}), std::string("encoder"));
        QCOMPARE(document.addNode("encoder.resnet", {0, 0}), std::string("encoder_2"));
        QCOMPARE(document.addNode("loss.nt_xent", {0, 0}, "encoder"), std::string("encoder_3"));
        QCOMPARE(document.addNode("no.such_type", {0, 0}), std::string());
        QCOMPARE(document.undoStack()->count(), 3);
    }

    void connectsMatchingPorts() {
        GraphDocument document;
        document.addNode("data.images", {0, 0});
        document.addNode("similarity.augment_views", {300, 0});
        QSignalSpy added(&document, &GraphDocument::edgeAdded);

        QCOMPARE(document.connectPorts({"data", "images"}, {"views", "images"}), QString());

        QCOMPARE(added.count(), 1);
        QCOMPARE(document.graph().edges.size(), std::size_t{1});
        QVERIFY(document.graph().edgeInto({"views", "images"}) != nullptr);
        // The augmentation node no longer lacks its input.
        const QStringList problems = document.nodeProblems().count("views") != 0
                                         ? document.nodeProblems().at("views")
                                         : QStringList();
        QVERIFY(problems.filter("input is not connected").isEmpty());
    }

    void refusesAnIncompatibleLinkWithItsReason() {
        auto document = simclrDocument();
        document->disconnectPorts({{"encoder", "representation"}, {"head", "representation"}});
        const PipelineGraph before = document->graph();
        QSignalSpy refused(document.get(), &GraphDocument::connectionRefused);

        const QString reason =
            document->connectPorts({"views", "views"}, {"head", "representation"});

        QCOMPARE(reason,
                 QString("'views' carries Views but 'representation' takes Representation"));
        QCOMPARE(refused.count(), 1);
        QCOMPARE(refused.at(0).at(0).toString(), reason);
        QVERIFY(document->graph() == before);
    }

    void refusesATakenInput() {
        auto document = simclrDocument();
        document->addNode("data.images", {0, 400}, "other");
        const QString reason = document->connectPorts({"other", "images"}, {"views", "images"});
        QCOMPARE(reason, QString("'views.images' is already connected; remove that link first"));
    }

    void refusesACycleWithItsReason() {
        // No catalogue type maps a port type back onto itself, so a cycle can only close over
        // a link that is already wrong. A hand-written file may hold one: here encoder's
        // representation feeds views' images input.
        crl::io::Project project = crl::io::loadProject(kDefaultProject);
        auto& edges = project.graph.edges;
        edges.erase(std::remove_if(edges.begin(), edges.end(),
                                   [](const Edge& e) { return e.to.node == "views"; }),
                    edges.end());
        edges.erase(std::remove_if(edges.begin(), edges.end(),
                                   [](const Edge& e) { return e.to.node == "encoder"; }),
                    edges.end());
        edges.push_back({{"encoder", "representation"}, {"views", "images"}});
        GraphDocument document(project, {});
        const PipelineGraph before = document.graph();

        const QString reason = document.connectPorts({"views", "views"}, {"encoder", "views"});

        QCOMPARE(reason,
                 QString("linking views to encoder would form a cycle; data must flow one way"));
        QVERIFY(document.graph() == before);
        QCOMPARE(document.undoStack()->count(), 0);
    }

    void marksNodesThatDoNotValidate() {
        auto document = simclrDocument();
        QVERIFY(document->nodeProblems().empty());

        document->setParameter("loss", "temperature", ParamValue{-1.0});
        document->disconnectPorts({{"views", "views"}, {"encoder", "views"}});

        QVERIFY(document->nodeProblems().count("loss") == 1);
        QVERIFY(document->nodeProblems().count("encoder") == 1);
        // The same text `crl validate` prints.
        QStringList expected;
        for (const auto& issue : crl::graph::validate(document->graph()))
            if (issue.node == "encoder")
                expected << QString::fromStdString(issue.describe());
        QCOMPARE(document->nodeProblems().at("encoder"), expected);
        QVERIFY(document->nodeProblems().at("encoder").first().startsWith("node 'encoder'"));

        document->undoStack()->undo();
        document->undoStack()->undo();
        QVERIFY(document->nodeProblems().empty());
    }

    // Every kind of edit: undo returns to the exact graph before it, redo to the one after.
    void undoAndRedoEachKindOfEdit_data() {
        QTest::addColumn<QString>("edit");
        QTest::newRow("add") << "add";
        QTest::newRow("remove with links") << "remove";
        QTest::newRow("remove several") << "removeSeveral";
        QTest::newRow("move") << "move";
        QTest::newRow("connect") << "connect";
        QTest::newRow("disconnect") << "disconnect";
        QTest::newRow("parameter") << "param";
        QTest::newRow("parameter reset") << "reset";
        QTest::newRow("paste") << "paste";
        QTest::newRow("duplicate") << "duplicate";
        QTest::newRow("auto-layout") << "layout";
    }

    void undoAndRedoEachKindOfEdit() {
        QFETCH(QString, edit);
        auto document = simclrDocument();
        if (edit == "connect")
            document->disconnectPorts({{"head", "embedding"}, {"loss", "embedding"}});
        document->undoStack()->clear();
        const PipelineGraph before = document->graph();

        bool changed = false;
        if (edit == "add")
            changed = !document->addNode("encoder.resnet", {10, 20}).empty();
        else if (edit == "remove")
            changed = document->remove({"encoder"});
        else if (edit == "removeSeveral")
            changed = document->remove({"views", "loss"},
                                       {{"encoder", "representation"}, {"head", "representation"}});
        else if (edit == "move")
            changed = document->moveNodes({{"head", {5, 6}}, {"loss", {7, 8}}});
        else if (edit == "connect")
            changed =
                document->connectPorts({"head", "embedding"}, {"loss", "embedding"}).isEmpty();
        else if (edit == "disconnect")
            changed = document->disconnectPorts({{"views", "views"}, {"encoder", "views"}});
        else if (edit == "param")
            changed = document->setParameter("views", "flip_p", ParamValue{0.1});
        else if (edit == "reset")
            changed = document->setParameter("encoder", "width", std::nullopt);
        else if (edit == "paste")
            changed =
                document->paste(document->fragment({"encoder", "head"}), {0, 300}).size() == 2;
        else if (edit == "duplicate")
            changed = document->duplicate({"views", "encoder", "head"}).size() == 3;
        else if (edit == "layout")
            changed = document->autoLayout();
        QVERIFY(changed);
        const PipelineGraph after = document->graph();
        QVERIFY(!(after == before));
        QCOMPARE(document->undoStack()->count(), 1);

        document->undoStack()->undo();
        QVERIFY(document->graph() == before);
        QVERIFY(!document->isModified());
        document->undoStack()->redo();
        QVERIFY(document->graph() == after);
        QVERIFY(document->isModified());
    }

    void removingANodeTakesItsLinksFirst() {
        auto document = simclrDocument();
        QStringList order;
        connect(document.get(), &GraphDocument::edgeRemoved, this,
                [&](const Edge&) { order << "edge"; });
        connect(document.get(), &GraphDocument::nodeRemoved, this,
                [&](const std::string&) { order << "node"; });

        document->remove({"encoder"});

        QCOMPARE(order, QStringList({"edge", "edge", "edge", "node"}));
        QCOMPARE(document->graph().edges.size(), std::size_t{4});
    }

    void consecutiveMovesMergeIntoOneStep() {
        auto document = simclrDocument();
        const PipelineGraph before = document->graph();

        document->moveNodes({{"head", {800, 130}}});
        document->moveNodes({{"head", {820, 140}}});
        document->moveNodes({{"head", {840, 150}}});
        QCOMPARE(document->undoStack()->count(), 1);
        QCOMPARE(document->graph().findNode("head")->x, 840.0);

        // A different node starts a new step.
        document->moveNodes({{"loss", {0, 0}}});
        QCOMPARE(document->undoStack()->count(), 2);

        document->undoStack()->undo();
        document->undoStack()->undo();
        QVERIFY(document->graph() == before);
    }

    void typingAParameterIsOneUndoStep() {
        auto document = simclrDocument();
        const PipelineGraph before = document->graph();

        for (double value : {0.0, 0.00, 0.001, 0.0015})
            document->setParameter("optimiser", "lr", ParamValue{value});
        QCOMPARE(document->undoStack()->count(), 1);
        QCOMPARE(document->graph().real(*document->graph().findNode("optimiser"), "lr"), 0.0015);

        document->undoStack()->undo();
        QVERIFY(document->graph() == before);
    }

    void pastedCopiesGetFreshIdsAndKeepTheirInnerLinks() {
        auto document = simclrDocument();

        const auto ids = document->duplicate({"encoder", "head"});

        QCOMPARE(ids, (std::vector<std::string>{"encoder_2", "head_2"}));
        const auto* copy = document->graph().findNode("head_2");
        QCOMPARE(copy->x, 780.0 + GraphDocument::kDuplicateOffset.x());
        QCOMPARE(copy->params, document->graph().findNode("head")->params);
        // The link between the copies comes along; links to the outside do not.
        QVERIFY(document->graph().edgeInto({"head_2", "representation"}) != nullptr);
        QVERIFY(document->graph().edgeInto({"encoder_2", "views"}) == nullptr);
    }

    void clipboardCarriesAFragmentAsProjectJson() {
        auto document = simclrDocument();
        const PipelineGraph part = document->fragment({"head", "loss", "optimiser"});
        QCOMPARE(part.nodes.size(), std::size_t{3});
        QCOMPARE(part.edges.size(), std::size_t{2});

        std::unique_ptr<QMimeData> mime(crl::widgets::fragmentToMimeData(part));
        const auto back = crl::widgets::fragmentFromMimeData(mime.get());
        QVERIFY(back.has_value());
        QVERIFY(*back == part);

        QMimeData text;
        text.setText("not a pipeline");
        QVERIFY(!crl::widgets::fragmentFromMimeData(&text).has_value());
    }

    void autoLayoutPlacesNodesByDepth() {
        auto document = simclrDocument();
        document->moveNodes({{"data", {900, 900}}});

        const std::map<std::string, QSizeF> sizes = {{"views", QSizeF(230, 300)}};
        document->autoLayout(sizes);

        const PipelineGraph& graph = document->graph();
        double previous = -1e9;
        for (const char* id : {"data", "views", "encoder", "head", "loss", "optimiser"}) {
            QVERIFY2(graph.findNode(id)->x > previous, id);
            previous = graph.findNode(id)->x;
        }
        // The tall augmentation node pushes the next column further right.
        QVERIFY(graph.findNode("encoder")->x - graph.findNode("views")->x >= 300.0);
        QVERIFY(!document->autoLayout(sizes));  // already laid out: nothing to do
    }

    void saveThenLoadGivesTheSameGraphAndFile() {
        QTemporaryDir dir;
        auto document = simclrDocument();
        document->moveNodes({{"head", {781.5, 119.25}}});
        QVERIFY(document->isModified());
        QSignalSpy pathChanged(document.get(), &GraphDocument::filePathChanged);

        const std::filesystem::path file = dir.filePath("simclr.crl.json").toStdString();
        document->saveAs(file);

        QVERIFY(!document->isModified());
        QCOMPARE(pathChanged.count(), 1);
        QCOMPARE(document->filePath(), file);
        const crl::io::Project loaded = crl::io::loadProject(file);
        QVERIFY(loaded.graph == document->graph());
        QCOMPARE(readFile(file), crl::io::serializeProject(loaded));

        // Saved again from a document opened on the file: byte for byte the same.
        GraphDocument reopened(loaded, file);
        const std::filesystem::path second = dir.filePath("again.crl.json").toStdString();
        reopened.saveAs(second);
        QCOMPARE(readFile(second), readFile(file));
    }

    void theShippedHandWrittenProjectOpens() {
        const std::filesystem::path file = crl::io::resolveProjectPath(kDefaultProject);
        GraphDocument document(crl::io::loadProject(file), file);
        QCOMPARE(document.graph().nodes.size(), std::size_t{8});
        QVERIFY(document.isValid());
        QVERIFY(!document.isModified());
        QCOMPARE(document.displayName(), QString("SimCLR on Fashion-MNIST"));
        // Its positions are kept as written.
        QCOMPARE(document.graph().nodes.front().x, 0.0);
        QCOMPARE(document.graph().nodes.front().y, 120.0);
    }

    void aProjectWrittenWithoutPositionsOpensLaidOut() {
        QTemporaryDir dir;
        nlohmann::json json =
            nlohmann::json::parse(readFile(crl::io::resolveProjectPath(kDefaultProject)));
        for (nlohmann::json& node : json["graph"]["nodes"])
            node.erase("position");
        const std::filesystem::path file = dir.filePath("bare.crl.json").toStdString();
        std::ofstream(file) << json.dump(2);

        GraphDocument document(crl::io::loadProject(file), file);
        QVERIFY(document.isValid());
        // Each node in its own place, the data set left of the encoder, the loss right of it.
        std::set<std::pair<double, double>> places;
        for (const crl::graph::Node& node : document.graph().nodes)
            places.insert({node.x, node.y});
        QCOMPARE(places.size(), document.graph().nodes.size());
        const auto x = [&](const char* id) { return document.graph().findNode(id)->x; };
        QVERIFY(x("data") < x("encoder"));
        QVERIFY(x("encoder") < x("loss"));
    }

    void aProjectSavedByTheEditorTrainsWithTheCli() {
        QTemporaryDir dir;
        auto document = simclrDocument();
        const std::filesystem::path file = dir.filePath("from-editor.crl.json").toStdString();
        document->saveAs(file);

        const QString project = QString::fromStdString(file.string());
        QProcess validate;
        validate.start(CRL_CLI_PATH, {"validate", project});
        QVERIFY(validate.waitForFinished(120000));
        QVERIFY2(validate.exitCode() == 0, validate.readAllStandardError().constData());

        QProcess train;
        train.start(CRL_CLI_PATH,
                    {"train", project, "--epochs", "1", "--max-samples", "256", "--batch-size",
                     "64", "--device", "cpu", "--out", dir.filePath("run"), "--quiet"});
        QVERIFY(train.waitForFinished(600000));
        QVERIFY2(train.exitCode() == 0, train.readAllStandardError().constData());
        const nlohmann::json summary =
            nlohmann::json::parse(readFile(dir.filePath("run/summary.json").toStdString()));
        QCOMPARE(summary["epochs"].get<int>(), 1);
        QVERIFY(summary["knn_top1"].get<double>() > 0.1);
    }
};

QTEST_MAIN(GraphDocumentTest)
#include "GraphDocumentTest.moc"
