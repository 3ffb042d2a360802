#pragma once
// A banner that warns when the metric embedding z is collapsing: every input mapped to (nearly)
// the same point, so the loss can no longer tell positives from negatives and the
// representation stops carrying information (survey, Sec. III-E; Wang & Isola 2020). It reads
// the two monitors the trainer measures on held-out positive pairs:
//   collapse indicator (mean std of normalised z): about 1/√d when spread, 0 when collapsed;
//   uniformity (log E exp(−2‖zᵢ − zⱼ‖²)): strongly negative when spread, 0 when collapsed.
// A measurement counts as collapsed when the indicator is below 0.1/√d or uniformity above
// −0.1. A randomly initialised encoder starts bunched up (indicator ~0.002, uniformity ~0 for
// the default SimCLR pipeline) and spreads within the first tens of steps, so the alarm rises
// when a collapsed measurement follows a spread one, or when the embeddings are still collapsed
// after kWarmupSteps; it falls again when a later measurement recovers.

#include <QFrame>

#include <cstdint>
#include <optional>

class QLabel;

namespace crl::widgets {

class CollapseAlarm : public QFrame {
    Q_OBJECT

public:
    static constexpr double kIndicatorFraction = 0.1;  ///< of the isotropic value 1/√d
    static constexpr double kUniformityLimit = -0.1;
    static constexpr std::int64_t kWarmupSteps = 200;  ///< to spread out from the start

    explicit CollapseAlarm(QWidget* parent = nullptr);

    /// The dimension d of z; 0 when unknown (the indicator then goes unjudged).
    void setEmbeddingDimension(int dimension);
    int embeddingDimension() const { return m_dimension; }

    /// Indicator threshold 0.1/√d, or 0 when d is unknown.
    double indicatorThreshold() const;

    /// Judges one measurement taken after `step` optimiser steps.
    void observe(std::int64_t step, std::optional<double> collapse,
                 std::optional<double> uniformity);

    /// Lowers the banner and forgets the measurements (a new run starts).
    void reset();

    bool isRaised() const { return m_raised; }

signals:
    /// The banner went up; `summary` is one sentence for the run log.
    void raised(const QString& summary);

private:
    QLabel* m_text;
    int m_dimension = 0;
    bool m_raised = false;
    bool m_dismissed = false;
    bool m_wasSpread = false;  ///< a spread measurement was seen in this run
};

}  // namespace crl::widgets
