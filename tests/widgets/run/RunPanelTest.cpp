// The run panel: buttons enabled by the run's state, settings prefilled from a project and
// read back, cuda offered only when listed, progress with step, epoch and ETA.

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "widgets/run/RunPanel.h"

using crl::widgets::RunPanel;

class RunPanelTest : public QObject {
    Q_OBJECT

private slots:
    void buttonsFollowTheState_data() {
        QTest::addColumn<RunPanel::State>("state");
        QTest::addColumn<bool>("run");
        QTest::addColumn<bool>("pause");
        QTest::addColumn<bool>("resume");
        QTest::addColumn<bool>("stop");
        QTest::addColumn<bool>("settings");

        QTest::newRow("idle") << RunPanel::State::Idle << true << false << false << false << true;
        QTest::newRow("starting") << RunPanel::State::Starting << false << false << false << true
                                  << false;
        QTest::newRow("running") << RunPanel::State::Running << false << true << false << true
                                 << false;
        QTest::newRow("paused") << RunPanel::State::Paused << false << false << true << true
                                << false;
        QTest::newRow("stopping") << RunPanel::State::Stopping << false << false << false << false
                                  << false;
    }

    void buttonsFollowTheState() {
        QFETCH(RunPanel::State, state);
        QFETCH(bool, run);
        QFETCH(bool, pause);
        QFETCH(bool, resume);
        QFETCH(bool, stop);
        QFETCH(bool, settings);
        RunPanel panel;

        panel.setState(state);

        QCOMPARE(panel.runButton()->isEnabled(), run);
        QCOMPARE(panel.pauseButton()->isEnabled(), pause);
        QCOMPARE(panel.resumeButton()->isEnabled(), resume);
        QCOMPARE(panel.stopButton()->isEnabled(), stop);
        QCOMPARE(panel.epochsBox()->isEnabled(), settings);
        QCOMPARE(panel.deviceBox()->isEnabled(), settings);
    }

    void buttonsAskThroughSignals() {
        RunPanel panel;
        QSignalSpy run(&panel, &RunPanel::runRequested);
        QSignalSpy pause(&panel, &RunPanel::pauseRequested);
        QSignalSpy resume(&panel, &RunPanel::resumeRequested);
        QSignalSpy stop(&panel, &RunPanel::stopRequested);

        panel.runButton()->click();
        panel.setState(RunPanel::State::Running);
        panel.pauseButton()->click();
        panel.setState(RunPanel::State::Paused);
        panel.resumeButton()->click();
        panel.stopButton()->click();

        QCOMPARE(run.size(), 1);
        QCOMPARE(pause.size(), 1);
        QCOMPARE(resume.size(), 1);
        QCOMPARE(stop.size(), 1);
        // The panel only asks; the controller reports the state back.
        QCOMPARE(panel.state(), RunPanel::State::Paused);
    }

    void settingsArePrefilledAndReadBack() {
        RunPanel panel;
        panel.setDevices({QStringLiteral("cpu"), QStringLiteral("cuda")});
        crl::train::RunSettings project;
        project.epochs = 14;
        project.batchSize = 256;
        project.maxSamples = 0;
        project.device = "auto";
        project.metricsEvery = 25;

        panel.setSettings(project);

        QCOMPARE(panel.epochsBox()->value(), 14);
        QCOMPARE(panel.samplesBox()->text(), QStringLiteral("all"));
        QCOMPARE(panel.deviceBox()->currentText(), QStringLiteral("cuda"));
        panel.epochsBox()->setValue(2);
        panel.batchSizeBox()->setValue(64);
        panel.samplesBox()->setValue(512);
        panel.deviceBox()->setCurrentText(QStringLiteral("cpu"));
        const crl::train::RunSettings run = panel.settings(project);
        QCOMPARE(run.epochs, 2);
        QCOMPARE(run.batchSize, 64);
        QCOMPARE(run.maxSamples, std::int64_t{512});
        QCOMPARE(run.device, std::string("cpu"));
        QCOMPARE(run.metricsEvery, 25);
    }

    void onlyTheUsersEditsAreReportedAndAutoStaysUntilADeviceIsPicked() {
        RunPanel panel;
        panel.setDevices({QStringLiteral("cpu"), QStringLiteral("cuda")});
        QSignalSpy edited(&panel, &RunPanel::settingsEdited);
        crl::train::RunSettings project;
        project.epochs = 14;
        project.device = "auto";

        // Prefilling is not an edit, nor is prefilling the same values again.
        panel.setSettings(project);
        panel.setSettings(project);
        QCOMPARE(edited.count(), 0);

        // A spin-box edit is reported; the project keeps "auto" although cuda is shown.
        panel.epochsBox()->setValue(3);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(panel.projectSettings(project).epochs, 3);
        QCOMPARE(panel.projectSettings(project).device, std::string("auto"));
        QCOMPARE(panel.settings(project).device, std::string("cuda"));

        // Picking a device from the list is an edit and is recorded as picked.
        panel.deviceBox()->setCurrentIndex(0);
        emit panel.deviceBox()->activated(0);
        QCOMPARE(edited.count(), 2);
        QCOMPARE(panel.projectSettings(project).device, std::string("cpu"));

        // A project naming a device this machine lacks keeps its name until the user picks.
        crl::train::RunSettings elsewhere;
        elsewhere.device = "cuda";
        panel.setDevices({QStringLiteral("cpu")});
        panel.setSettings(elsewhere);
        QCOMPARE(panel.projectSettings(elsewhere).device, std::string("cuda"));
        QCOMPARE(edited.count(), 2);
    }

    void aValueOutsideTheRangeIsKeptUntilItsBoxIsEdited() {
        RunPanel panel;
        crl::train::RunSettings project;
        project.batchSize = 1;  // below the box's minimum of 2: validation reports it

        panel.setSettings(project);
        panel.epochsBox()->setValue(5);

        QCOMPARE(panel.batchSizeBox()->value(), 2);
        QCOMPARE(panel.projectSettings(project).batchSize, 1);
        QCOMPARE(panel.projectSettings(project).epochs, 5);
        panel.batchSizeBox()->setValue(64);
        QCOMPARE(panel.projectSettings(project).batchSize, 64);
    }

    void cudaIsOfferedOnlyWhenListed() {
        RunPanel panel;
        panel.setDevices({QStringLiteral("cpu")});
        crl::train::RunSettings project;
        project.device = "cuda";

        panel.setSettings(project);

        QCOMPARE(panel.devices(), QStringList{QStringLiteral("cpu")});
        QCOMPARE(panel.deviceBox()->currentText(), QStringLiteral("cpu"));
    }

    void progressShowsEpochStepAndEta() {
        RunPanel panel;
        panel.setProgress(2, 14, 300, 3276, 200.0);
        QCOMPARE(panel.progressText(), QStringLiteral("epoch 2/14 · step 300/3276 · ETA 3m 20s"));
        panel.setProgress(1, 1, 0, 8, -1.0);
        QCOMPARE(panel.progressText(), QStringLiteral("epoch 1/1 · step 0/8"));
    }

    void formatDuration_data() {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << 45.2 << QStringLiteral("45s");
        QTest::newRow("minutes") << 200.0 << QStringLiteral("3m 20s");
        QTest::newRow("hours") << 3725.0 << QStringLiteral("1h 02m");
        QTest::newRow("negative") << -5.0 << QStringLiteral("0s");
    }

    void formatDuration() {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(RunPanel::formatDuration(seconds), text);
    }
};

QTEST_MAIN(RunPanelTest)
#include "RunPanelTest.moc"
