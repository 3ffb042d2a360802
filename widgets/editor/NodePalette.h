#pragma once
// The palette of node types, generated from the node catalogue and grouped by the framework
// part each type belongs to (survey Fig. 3: data, similarity, encoder, head, scoring and loss,
// plus optimiser and monitors). A search box filters by title, type id and help text. A type
// is dragged onto the canvas (kNodeTypeMimeType carrying the type id) or double-clicked to be
// added at the centre of the view.

#include <QWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace crl::widgets {

class NodePalette : public QWidget {
    Q_OBJECT

public:
    explicit NodePalette(QWidget* parent = nullptr);

    /// Shows only types whose title, id or help contains `text` (case-insensitive).
    void setFilter(const QString& text);

    QTreeWidget* tree() const { return m_tree; }
    /// Type ids listed and not hidden by the filter, in palette order.
    QStringList visibleTypeIds() const;

signals:
    /// The user asked for a node of `typeId` (double-click or Enter).
    void typeActivated(const QString& typeId);

private:
    void activate(QTreeWidgetItem* item);

    QLineEdit* m_search;
    QTreeWidget* m_tree;
};

}  // namespace crl::widgets
