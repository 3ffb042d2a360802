#pragma once
// The run log: messages from core/ (through the log sink the application installs), run events
// worth reading later (started, checkpoint kept, stopped, finished) and errors, one timestamped
// line each, errors in red. Bounded, so a long session cannot grow it without limit.

#include <QWidget>

class QPlainTextEdit;

namespace crl::widgets {

class LogPanel : public QWidget {
    Q_OBJECT

public:
    enum class Level { Debug, Info, Warning, Error };
    Q_ENUM(Level)

    static constexpr int kMaxLines = 5000;

    explicit LogPanel(QWidget* parent = nullptr);

    QPlainTextEdit* view() const { return m_view; }
    /// The plain text of all lines kept.
    QString text() const;

public slots:
    void append(crl::widgets::LogPanel::Level level, const QString& message);
    void clear();

private:
    QPlainTextEdit* m_view;
};

}  // namespace crl::widgets
