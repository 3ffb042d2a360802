// NodeInspector: one typed editor per parameter with the spec's range and unit, defaults
// shown for unset parameters, and edits (including reset) going through the undo stack.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include "graph/NodeCatalogue.h"
#include "io/ProjectFile.h"
#include "widgets/editor/GraphDocument.h"
#include "widgets/editor/NodeInspector.h"

using crl::graph::ParamKind;
using crl::widgets::GraphDocument;
using crl::widgets::NodeInspector;

namespace {

std::unique_ptr<GraphDocument> shippedProject() {
    const std::filesystem::path file = crl::io::resolveProjectPath(
        std::filesystem::path(CRL_SOURCE_DIR) / "projects/simclr-fashion-mnist");
    return std::make_unique<GraphDocument>(crl::io::loadProject(file), file);
}

}  // namespace

class NodeInspectorTest : public QObject {
    Q_OBJECT

private slots:
    void buildsOneEditorPerParameterWithTheSpecsRange_data() {
        QTest::addColumn<QString>("node");
        for (const char* node : {"data", "views", "encoder", "head", "loss", "optimiser"})
            QTest::newRow(node) << node;
    }

    void buildsOneEditorPerParameterWithTheSpecsRange() {
        QFETCH(QString, node);
        auto document = shippedProject();
        NodeInspector inspector;
        inspector.setDocument(document.get());
        inspector.showNode(node.toStdString());

        const auto* spec = crl::graph::NodeCatalogue::instance().find(
            document->graph().findNode(node.toStdString())->type);
        QVERIFY(spec != nullptr);
        for (const auto& param : spec->params) {
            QWidget* editor = inspector.editorFor(param.name);
            QVERIFY2(editor != nullptr, param.name.c_str());
            QVERIFY(inspector.resetButtonFor(param.name) != nullptr);
            const QString suffix =
                param.unit.empty() ? QString() : " " + QString::fromStdString(param.unit);
            switch (param.kind) {
                case ParamKind::Int: {
                    auto* spin = qobject_cast<QSpinBox*>(editor);
                    QVERIFY(spin != nullptr);
                    QCOMPARE(spin->minimum(), static_cast<int>(param.minimum));
                    QCOMPARE(spin->maximum(), static_cast<int>(param.maximum));
                    QCOMPARE(spin->suffix(), suffix);
                    break;
                }
                case ParamKind::Real: {
                    auto* spin = qobject_cast<QDoubleSpinBox*>(editor);
                    QVERIFY(spin != nullptr);
                    QCOMPARE(spin->minimum(), param.minimum);
                    QCOMPARE(spin->maximum(), param.maximum);
                    QCOMPARE(spin->suffix(), suffix);
                    // The shown value is the node's, to the spin box's precision.
                    const double value = document->graph().real(
                        *document->graph().findNode(node.toStdString()), param.name);
                    QVERIFY(std::abs(spin->value() - value) <= std::pow(10.0, -spin->decimals()));
                    break;
                }
                case ParamKind::Choice: {
                    auto* combo = qobject_cast<QComboBox*>(editor);
                    QVERIFY(combo != nullptr);
                    QVERIFY(combo->count() >= static_cast<int>(param.choices.size()));
                    break;
                }
                case ParamKind::Bool:
                    QVERIFY(qobject_cast<QCheckBox*>(editor) != nullptr);
                    break;
                case ParamKind::Text:
                    QVERIFY(qobject_cast<QLineEdit*>(editor) != nullptr);
                    break;
                case ParamKind::Path:
                    QVERIFY(editor->findChild<QLineEdit*>() != nullptr);
                    QVERIFY(editor->findChild<QToolButton*>() != nullptr);
                    break;
            }
        }
    }

    void smallLearningRatesKeepTheirDigits() {
        auto document = shippedProject();
        NodeInspector inspector;
        inspector.setDocument(document.get());
        inspector.showNode("optimiser");

        auto* lr = qobject_cast<QDoubleSpinBox*>(inspector.editorFor("lr"));
        auto* decay = qobject_cast<QDoubleSpinBox*>(inspector.editorFor("weight_decay"));
        QCOMPARE(lr->value(), 0.002);
        QVERIFY(lr->decimals() >= 5);
        QVERIFY(decay->decimals() >= 6);
        QCOMPARE(decay->value(), 1e-4);
    }

    void editsGoThroughTheUndoStack() {
        auto document = shippedProject();
        NodeInspector inspector;
        inspector.setDocument(document.get());
        inspector.showNode("encoder");
        auto* width = qobject_cast<QSpinBox*>(inspector.editorFor("width"));
        QCOMPARE(width->value(), 16);

        width->setValue(32);
        width->setValue(48);
        QCOMPARE(document->graph().integer(*document->graph().findNode("encoder"), "width"), 48);
        QCOMPARE(document->undoStack()->count(), 1);  // merged

        document->undoStack()->undo();
        QCOMPARE(width->value(), 16);
        QVERIFY(!document->isModified());
    }

    void resetReturnsToTheDefaultAndDefaultsAreShown() {
        auto document = shippedProject();
        NodeInspector inspector;
        inspector.setDocument(document.get());
        inspector.showNode("head");

        // layers is not set in the file: the default shows, and there is nothing to reset.
        auto* layers = qobject_cast<QSpinBox*>(inspector.editorFor("layers"));
        QCOMPARE(layers->value(), 2);
        QVERIFY(!inspector.resetButtonFor("layers")->isEnabled());
        QVERIFY(inspector.resetButtonFor("out_dim")->isEnabled());

        inspector.resetButtonFor("out_dim")->click();

        QCOMPARE(document->graph().findNode("head")->params.count("out_dim"), std::size_t{0});
        QVERIFY(!inspector.resetButtonFor("out_dim")->isEnabled());
        document->undoStack()->undo();
        QCOMPARE(qobject_cast<QSpinBox*>(inspector.editorFor("out_dim"))->value(), 128);
    }

    void choicesAndFlagsEdit() {
        auto document = shippedProject();
        NodeInspector inspector;
        inspector.setDocument(document.get());

        inspector.showNode("optimiser");
        auto* algorithm = qobject_cast<QComboBox*>(inspector.editorFor("algorithm"));
        QCOMPARE(algorithm->currentText(), QString("adamw"));
        algorithm->setCurrentText("sgd");
        QCOMPARE(document->graph().text(*document->graph().findNode("optimiser"), "algorithm"),
                 std::string("sgd"));

        inspector.showNode("head");
        auto* batchNorm = qobject_cast<QCheckBox*>(inspector.editorFor("batch_norm"));
        QVERIFY(batchNorm->isChecked());
        batchNorm->setChecked(false);
        QVERIFY(!document->graph().boolean(*document->graph().findNode("head"), "batch_norm"));
    }

    void removingTheShownNodeClearsTheInspector() {
        auto document = shippedProject();
        NodeInspector inspector;
        inspector.setDocument(document.get());
        inspector.showNode("loss");
        QVERIFY(inspector.editorFor("temperature") != nullptr);

        document->remove({"loss"});

        QCOMPARE(inspector.nodeId(), std::string());
        QVERIFY(inspector.editorFor("temperature") == nullptr);
    }
};

QTEST_MAIN(NodeInspectorTest)
#include "NodeInspectorTest.moc"
