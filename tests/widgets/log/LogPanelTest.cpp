// The run log keeps timestamped, level-prefixed lines and a bounded number of them.

#include <QPlainTextEdit>
#include <QtTest>

#include "widgets/log/LogPanel.h"

using crl::widgets::LogPanel;

class LogPanelTest : public QObject {
    Q_OBJECT

private slots:
    void appendsLevelPrefixedLines() {
        LogPanel log;
        log.append(LogPanel::Level::Info, QStringLiteral("run started"));
        log.append(LogPanel::Level::Error, QStringLiteral("the loss became nan"));

        const QStringList lines = log.text().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).contains(QRegularExpression("^\\d\\d:\\d\\d:\\d\\d run started$")));
        QVERIFY(lines.at(1).endsWith(QStringLiteral("error: the loss became nan")));
    }

    void keepsABoundedNumberOfLines() {
        LogPanel log;
        for (int i = 0; i < LogPanel::kMaxLines + 100; ++i)
            log.append(LogPanel::Level::Info, QString::number(i));
        QCOMPARE(log.view()->document()->blockCount(), LogPanel::kMaxLines);
        QVERIFY(log.text().endsWith(QString::number(LogPanel::kMaxLines + 99)));

        log.clear();
        QVERIFY(log.text().isEmpty());
    }
};

QTEST_MAIN(LogPanelTest)
#include "LogPanelTest.moc"
