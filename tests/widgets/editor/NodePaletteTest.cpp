// NodePalette: generated from the catalogue, grouped by framework part, searchable, and its
// rows drag out as node-type MIME data.

#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include "graph/NodeCatalogue.h"
#include "widgets/editor/GraphClipboard.h"
#include "widgets/editor/NodePalette.h"

using crl::widgets::NodePalette;

class NodePaletteTest : public QObject {
    Q_OBJECT

private slots:
    void listsEveryCatalogueType() {
        NodePalette palette;
        QStringList expected;
        for (const auto& type : crl::graph::NodeCatalogue::instance().types())
            expected << QString::fromStdString(type.id);

        QStringList listed = palette.visibleTypeIds();
        listed.sort();
        expected.sort();
        QCOMPARE(listed, expected);
    }

    void groupsByFamilyInPipelineOrder() {
        NodePalette palette;
        QStringList groups;
        for (int i = 0; i < palette.tree()->topLevelItemCount(); ++i)
            if (!palette.tree()->topLevelItem(i)->isHidden())
                groups << palette.tree()->topLevelItem(i)->text(0);
        QCOMPARE(groups, QStringList({"Data", "Similarity", "Encoder", "Head", "Scoring and loss",
                                      "Optimiser", "Monitor"}));
        const QTreeWidgetItem* encoders = palette.tree()->topLevelItem(2);
        for (int i = 0; i < encoders->childCount(); ++i)
            QVERIFY(
                encoders->child(i)->data(0, Qt::UserRole + 1).toString().startsWith("encoder."));
    }

    void searchFiltersByTitleIdAndHelp() {
        NodePalette palette;
        palette.setFilter("RESNET");
        QCOMPARE(palette.visibleTypeIds(), QStringList({"encoder.resnet"}));
        palette.setFilter("nt_xent");
        QCOMPARE(palette.visibleTypeIds(), QStringList({"loss.nt_xent"}));
        palette.setFilter("no type matches this");
        QVERIFY(palette.visibleTypeIds().isEmpty());
        palette.setFilter({});
        QCOMPARE(palette.visibleTypeIds().size(),
                 static_cast<qsizetype>(crl::graph::NodeCatalogue::instance().types().size()));
    }

    void activatingARowAsksForThatType() {
        NodePalette palette;
        QSignalSpy activated(&palette, &NodePalette::typeActivated);
        palette.setFilter("small_cnn");
        QTreeWidgetItem* row = palette.tree()->topLevelItem(2)->child(0);
        QVERIFY(!row->isHidden());

        emit palette.tree()->itemActivated(row, 0);

        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), QString("encoder.small_cnn"));
    }

    void rowsDragOutAsNodeTypes() {
        NodePalette palette;
        QTreeWidget* tree = palette.tree();
        QTreeWidgetItem* row = tree->topLevelItem(0)->child(0);
        const QModelIndex index = tree->indexFromItem(row);

        std::unique_ptr<QMimeData> mime(tree->model()->mimeData({index}));
        QVERIFY(mime != nullptr);
        QCOMPARE(QString::fromUtf8(mime->data(crl::widgets::kNodeTypeMimeType)),
                 QString("data.images"));
    }
};

QTEST_MAIN(NodePaletteTest)
#include "NodePaletteTest.moc"
