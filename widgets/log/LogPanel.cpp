#include "widgets/log/LogPanel.h"

#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

namespace crl::widgets {

LogPanel::LogPanel(QWidget* parent) : QWidget(parent), m_view(new QPlainTextEdit) {
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(kMaxLines);
    m_view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* clearButton = new QToolButton;
    clearButton->setText(tr("Clear"));
    clearButton->setAutoRaise(true);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addStretch(1);
    bar->addWidget(clearButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(clearButton, &QToolButton::clicked, this, &LogPanel::clear);
}

QString LogPanel::text() const {
    return m_view->toPlainText();
}

void LogPanel::append(Level level, const QString& message) {
    static const char* const kPrefixes[] = {"debug", "", "warning", "error"};
    const QString prefix = QString::fromLatin1(kPrefixes[static_cast<int>(level)]);
    const QString line = QTime::currentTime().toString(QStringLiteral("HH:mm:ss")) +
                         QLatin1Char(' ') + (prefix.isEmpty() ? QString() : prefix + ": ") +
                         message;
    // Follow the end only when the user has not scrolled up to read something.
    QScrollBar* scroll = m_view->verticalScrollBar();
    const bool atEnd = scroll->value() == scroll->maximum();

    QTextCharFormat format;
    if (level == Level::Error)
        format.setForeground(QColor(190, 30, 30));
    else if (level == Level::Warning)
        format.setForeground(QColor(150, 90, 0));
    else if (level == Level::Debug)
        format.setForeground(palette().color(QPalette::PlaceholderText));
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_view->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertText(line, format);

    if (atEnd)
        scroll->setValue(scroll->maximum());
}

void LogPanel::clear() {
    m_view->clear();
}

}  // namespace crl::widgets
