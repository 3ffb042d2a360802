// PipelineView draws a graph read-only: one item per node and per edge, edges ending on their
// ports, unknown types still drawn, and Ctrl+wheel zooming. Runs on the offscreen platform.

#include <QApplication>
#include <QGraphicsScene>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include "graph/NodeCatalogue.h"
#include "io/ProjectFile.h"
#include "widgets/PipelineEdgeItem.h"
#include "widgets/PipelineNodeItem.h"
#include "widgets/PipelineView.h"

using crl::widgets::PipelineEdgeItem;
using crl::widgets::PipelineNodeItem;
using crl::widgets::PipelineView;

namespace {

/// Two catalogue types joined by one edge, and one node of a type nobody registered.
crl::graph::PipelineGraph smallGraph() {
    crl::graph::PipelineGraph graph;
    graph.nodes = {
        {"data", "data.images", {{"size", std::int64_t{32}}}, 0.0, 0.0},
        {"views", "similarity.augment_views", {{"flip_p", 0.25}}, 320.0, 40.0},
        {"mystery", "no.such_type", {{"depth", std::int64_t{3}}}, 640.0, 0.0},
    };
    graph.edges = {{{"data", "images"}, {"views", "images"}},
                   {{"views", "views"}, {"mystery", "in"}}};
    return graph;
}

template <typename Item>
QList<Item*> itemsOf(const QGraphicsScene& scene) {
    QList<Item*> found;
    for (QGraphicsItem* item : scene.items())
        if (item->type() == Item::Type)
            found.append(static_cast<Item*>(item));
    return found;
}

}  // namespace

class PipelineViewTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        // The test draws real catalogue entries; fail clearly if they were renamed.
        QVERIFY(crl::graph::NodeCatalogue::instance().find("data.images") != nullptr);
        QVERIFY(crl::graph::NodeCatalogue::instance().find("similarity.augment_views") != nullptr);
    }

    void drawsOneItemPerNodeAndEdge() {
        // Through a saved and reloaded file, as the workbench gets its graphs.
        QTemporaryDir dir;
        crl::io::Project project;
        project.name = "small";
        project.graph = smallGraph();
        const std::filesystem::path file = dir.filePath("small.crl.json").toStdString();
        crl::io::saveProject(project, file);
        const crl::io::Project loaded = crl::io::loadProject(file);

        PipelineView view;
        view.setGraph(loaded.graph);

        const QGraphicsScene& scene = *view.scene();
        QCOMPARE(itemsOf<PipelineNodeItem>(scene).size(), 3);
        QCOMPARE(itemsOf<PipelineEdgeItem>(scene).size(), 2);
        QCOMPARE(scene.items().size(), 5);
    }

    void nodesSitAtTheirPositionsAndUnknownTypesAreMarked() {
        PipelineView view;
        view.setGraph(smallGraph());

        const PipelineNodeItem* views = view.nodeItem("views");
        QVERIFY(views != nullptr);
        QCOMPARE(views->pos(), QPointF(320.0, 40.0));
        QVERIFY(views->isKnownType());
        QVERIFY(!view.nodeItem("mystery")->isKnownType());
        QVERIFY(view.nodeItem("absent") == nullptr);
    }

    void edgesRunBetweenTheirPorts() {
        PipelineView view;
        view.setGraph(smallGraph());

        for (const PipelineEdgeItem* edge : itemsOf<PipelineEdgeItem>(*view.scene())) {
            const auto& e = edge->edge();
            const QPainterPath path = edge->mapToScene(edge->path());
            QCOMPARE(path.pointAtPercent(0.0),
                     *view.nodeItem(e.from.node)->outputPosition(e.from.port));
            QCOMPARE(path.pointAtPercent(1.0), *view.nodeItem(e.to.node)->inputPosition(e.to.port));
        }
        // An input port sits on the left edge of its box, an output on the right.
        const PipelineNodeItem* views = view.nodeItem("views");
        QCOMPARE(views->inputPosition("images")->x(), 320.0);
        QCOMPARE(views->outputPosition("views")->x(), 320.0 + PipelineNodeItem::kWidth);
        QVERIFY(!views->inputPosition("nonexistent").has_value());
    }

    void edgeToAMissingNodeIsSkipped() {
        crl::graph::PipelineGraph graph = smallGraph();
        graph.edges.push_back({{"ghost", "out"}, {"views", "images"}});
        PipelineView view;
        view.setGraph(graph);
        QCOMPARE(itemsOf<PipelineEdgeItem>(*view.scene()).size(), 2);
    }

    void replacingTheGraphClearsTheOldDrawing() {
        PipelineView view;
        view.setGraph(smallGraph());
        view.setGraph(crl::graph::PipelineGraph{});
        QVERIFY(view.scene()->items().isEmpty());
    }

    void ctrlWheelZooms() {
        PipelineView view;
        view.resize(800, 600);
        view.setGraph(smallGraph());
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
};

QTEST_MAIN(PipelineViewTest)
#include "PipelineViewTest.moc"
