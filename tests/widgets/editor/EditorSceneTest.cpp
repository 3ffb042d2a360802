// EditorScene and EditorView: the scene draws the document and follows it through edits and
// undo; links are made by dragging between ports and refused with the document's reason;
// Delete removes the selection; invalid nodes carry a badge with `crl validate`'s text.

#include <QApplication>
#include <QClipboard>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include "graph/GraphValidation.h"
#include "io/ProjectFile.h"
#include "widgets/editor/EdgeItem.h"
#include "widgets/editor/EditorScene.h"
#include "widgets/editor/EditorView.h"
#include "widgets/editor/GraphDocument.h"
#include "widgets/editor/NodeItem.h"

using crl::graph::Edge;
using crl::graph::PipelineGraph;
using crl::widgets::EdgeItem;
using crl::widgets::EditorScene;
using crl::widgets::EditorView;
using crl::widgets::GraphDocument;
using crl::widgets::NodeItem;

namespace {

std::unique_ptr<GraphDocument> shippedProject() {
    const std::filesystem::path file = crl::io::resolveProjectPath(
        std::filesystem::path(CRL_SOURCE_DIR) / "projects/simclr-fashion-mnist");
    return std::make_unique<GraphDocument>(crl::io::loadProject(file), file);
}

template <typename Item>
int countOf(const QGraphicsScene& scene) {
    int count = 0;
    for (const QGraphicsItem* item : scene.items())
        count += item->type() == Item::Type ? 1 : 0;
    return count;
}

/// Every edge item starts on its output port and ends on its input port.
void checkEdgesMeetTheirPorts(const EditorScene& scene) {
    for (const QGraphicsItem* item : scene.items()) {
        if (item->type() != EdgeItem::Type)
            continue;
        const auto* edge = static_cast<const EdgeItem*>(item);
        const Edge& e = edge->edge();
        const QPainterPath path = edge->mapToScene(edge->path());
        QCOMPARE(path.pointAtPercent(0.0),
                 *scene.nodeItem(e.from.node)->outputPosition(e.from.port));
        QCOMPARE(path.pointAtPercent(1.0), *scene.nodeItem(e.to.node)->inputPosition(e.to.port));
    }
}

}  // namespace

class EditorSceneTest : public QObject {
    Q_OBJECT

private slots:
    void drawsOneItemPerNodeAndEdge() {
        auto document = shippedProject();
        EditorScene scene(document.get());

        QCOMPARE(countOf<NodeItem>(scene), 8);
        QCOMPARE(countOf<EdgeItem>(scene), 7);
        QCOMPARE(scene.nodeItem("views")->pos(), QPointF(260.0, 120.0));
        QVERIFY(scene.nodeItem("absent") == nullptr);
        checkEdgesMeetTheirPorts(scene);
        // An input port sits on the left edge of its box, an output on the right.
        QCOMPARE(scene.nodeItem("views")->inputPosition("images")->x(), 260.0);
        QCOMPARE(scene.nodeItem("views")->outputPosition("views")->x(), 260.0 + NodeItem::kWidth);
    }

    void unknownTypesAreDrawnAndMarked() {
        PipelineGraph graph;
        graph.nodes = {{"data", "data.images", {}, 0.0, 0.0},
                       {"mystery", "no.such_type", {}, 300.0, 0.0}};
        graph.edges = {{{"data", "images"}, {"mystery", "in"}}};
        crl::io::Project project;
        project.graph = graph;
        GraphDocument document(project, {});
        EditorScene scene(&document);

        const NodeItem* mystery = scene.nodeItem("mystery");
        QVERIFY(!mystery->isKnownType());
        QVERIFY(mystery->inputPosition("in").has_value());  // the link still has an end
        QVERIFY(!mystery->problems().isEmpty());
        QCOMPARE(countOf<EdgeItem>(scene), 1);
    }

    void followsEditsAndUndo() {
        auto document = shippedProject();
        EditorScene scene(document.get());

        document->remove({"encoder"});
        QCOMPARE(countOf<NodeItem>(scene), 7);
        QCOMPARE(countOf<EdgeItem>(scene), 4);

        document->undoStack()->undo();
        QCOMPARE(countOf<NodeItem>(scene), 8);
        QCOMPARE(countOf<EdgeItem>(scene), 7);

        document->moveNodes({{"head", {800.0, 400.0}}});
        QCOMPARE(scene.nodeItem("head")->pos(), QPointF(800.0, 400.0));
        checkEdgesMeetTheirPorts(scene);
        document->undoStack()->undo();
        QCOMPARE(scene.nodeItem("head")->pos(), QPointF(780.0, 120.0));
        checkEdgesMeetTheirPorts(scene);
    }

    void draggingANodeIsOneMoveCommand() {
        auto document = shippedProject();
        EditorScene scene(document.get());
        EditorView view;
        view.resize(1200, 600);
        view.setEditorScene(&scene);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        // Grab the header of the loss node, away from its ports.
        NodeItem* loss = scene.nodeItem("loss");
        const QPoint start = view.mapFromScene(loss->mapToScene(QPointF(100.0, 10.0)));
        const QPoint end = start + QPoint(60, 40);
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, start);
        QMouseEvent move(QEvent::MouseMove, end, view.viewport()->mapToGlobal(end), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &move);
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, end);

        QCOMPARE(document->undoStack()->count(), 1);
        const auto* node = document->graph().findNode("loss");
        QVERIFY(node->x > 1040.0 && node->y > 120.0);
        QCOMPARE(loss->pos(), QPointF(node->x, node->y));
        document->undoStack()->undo();
        QCOMPARE(loss->pos(), QPointF(1040.0, 120.0));
    }

    void linksByDraggingFromPortToPort() {
        auto document = shippedProject();
        document->disconnectPorts({{"head", "embedding"}, {"loss", "embedding"}});
        EditorScene scene(document.get());
        EditorView view;
        view.resize(1400, 600);
        view.setEditorScene(&scene);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QPoint from = view.mapFromScene(*scene.nodeItem("head")->outputPosition("embedding"));
        const QPoint to = view.mapFromScene(*scene.nodeItem("loss")->inputPosition("embedding"));
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, to, view.viewport()->mapToGlobal(to), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &move);
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, to);

        QVERIFY(document->graph().edgeInto({"loss", "embedding"}) != nullptr);
        QCOMPARE(countOf<EdgeItem>(scene), 7);
        QVERIFY(document->isValid());
        // The node did not move: a drag from a port draws a link instead.
        QCOMPARE(scene.nodeItem("head")->pos(), QPointF(780.0, 120.0));
    }

    void aRefusedLinkSaysWhy() {
        auto document = shippedProject();
        EditorScene scene(document.get());
        QSignalSpy messages(&scene, &EditorScene::message);

        const QString reason =
            scene.linkPortsAt(*scene.nodeItem("data")->outputPosition("labels"),
                              *scene.nodeItem("encoder")->inputPosition("views"));
        QCOMPARE(reason, QString("'labels' carries Labels but 'views' takes Views"));
        QCOMPARE(scene.linkPortsAt(*scene.nodeItem("data")->outputPosition("images"),
                                   *scene.nodeItem("head")->outputPosition("embedding")),
                 QString("connect an output to an input, not to another output"));
        QCOMPARE(countOf<EdgeItem>(scene), 7);
        QCOMPARE(document->undoStack()->count(), 0);
    }

    void deleteKeyRemovesSelectedNodesAndLinks() {
        auto document = shippedProject();
        EditorScene scene(document.get());
        EditorView view;
        view.setEditorScene(&scene);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        scene.selectNodes({"views"});
        scene.edgeItem({{"head", "embedding"}, {"loss", "embedding"}})->setSelected(true);
        QTest::keyClick(&view, Qt::Key_Delete);

        QVERIFY(document->graph().findNode("views") == nullptr);
        QVERIFY(document->graph().edgeInto({"loss", "embedding"}) == nullptr);
        QCOMPARE(document->graph().edges.size(), std::size_t{4});
        QCOMPARE(document->undoStack()->count(), 1);
        document->undoStack()->undo();
        QCOMPARE(document->graph().edges.size(), std::size_t{7});
    }

    void invalidNodesCarryABadgeWithTheValidationText() {
        auto document = shippedProject();
        EditorScene scene(document.get());
        QVERIFY(scene.nodeItem("encoder")->problems().isEmpty());

        document->disconnectPorts({{"views", "views"}, {"encoder", "views"}});

        const QStringList problems = scene.nodeItem("encoder")->problems();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first(), QString::fromStdString(
                                       crl::graph::validate(document->graph()).front().describe()));
        QVERIFY(problems.first().contains("input is not connected"));
        bool badgeShown = false;
        for (const QGraphicsItem* child : scene.nodeItem("encoder")->childItems())
            badgeShown = badgeShown || (child->isVisible() && child->toolTip() == problems.first());
        QVERIFY(badgeShown);
    }

    void copyPasteAndDuplicateSelectTheCopies() {
        auto document = shippedProject();
        EditorScene scene(document.get());

        scene.selectNodes({"encoder", "head"});
        scene.copySelection();
        scene.pasteClipboard();
        QCOMPARE(scene.selectedNodeIds(), (std::vector<std::string>{"encoder_2", "head_2"}));
        scene.duplicateSelection();
        QCOMPARE(scene.selectedNodeIds(), (std::vector<std::string>{"encoder_3", "head_3"}));
        QCOMPARE(countOf<NodeItem>(scene), 12);
        QCOMPARE(countOf<EdgeItem>(scene), 9);

        scene.selectAll();
        scene.cutSelection();
        QCOMPARE(countOf<NodeItem>(scene), 0);
        QVERIFY(document->graph().nodes.empty());
        scene.pasteClipboard();
        QCOMPARE(document->graph().nodes.size(), std::size_t{12});
    }

    void ctrlWheelZoomsAndFitStaysReadable() {
        auto document = shippedProject();
        EditorScene scene(document.get());
        EditorView view;
        view.resize(800, 600);
        view.setEditorScene(&scene);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const double before = view.zoom();

        const QPointF centre(400.0, 300.0);
        QWheelEvent wheel(centre, view.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &wheel);
        QVERIFY(view.zoom() > before * 1.1);

        view.fitToView();
        QVERIFY(view.zoom() <= 1.5);
    }

    void paletteDoubleClickAddsAtTheCentre() {
        auto document = shippedProject();
        EditorScene scene(document.get());
        EditorView view;
        view.resize(800, 600);
        view.setEditorScene(&scene);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        view.addNodeAtCentre("encoder.resnet");

        QCOMPARE(scene.selectedNodeIds(), std::vector<std::string>{"encoder_2"});
        const QPointF centre = view.mapToScene(view.viewport()->rect().center());
        QVERIFY(scene.nodeItem("encoder_2")->sceneBoundingRect().contains(centre));
    }
};

QTEST_MAIN(EditorSceneTest)
#include "EditorSceneTest.moc"
