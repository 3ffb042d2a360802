#include "widgets/curves/CollapseAlarm.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include <cmath>

#include "widgets/curves/CurvesLog.h"

namespace crl::widgets {

CollapseAlarm::CollapseAlarm(QWidget* parent) : QFrame(parent), m_text(new QLabel) {
    setObjectName(QStringLiteral("collapseAlarm"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(
        QStringLiteral("#collapseAlarm { background: #fde8e6; border: 1px solid #d9534f;"
                       " border-radius: 4px; } QLabel { color: #6b1d1a; }"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    auto* dismiss = new QToolButton;
    dismiss->setText(QStringLiteral("✕"));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Hide until the next collapse warning"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);

    connect(dismiss, &QToolButton::clicked, this, [this] {
        m_dismissed = true;
        hide();
    });
    hide();
}

void CollapseAlarm::setEmbeddingDimension(int dimension) {
    m_dimension = std::max(0, dimension);
}

double CollapseAlarm::indicatorThreshold() const {
    return m_dimension > 0 ? kIndicatorFraction / std::sqrt(static_cast<double>(m_dimension)) : 0.0;
}

void CollapseAlarm::observe(std::int64_t step, std::optional<double> collapse,
                            std::optional<double> uniformity) {
    if (step <= 0 || (!collapse && !uniformity))
        return;

    const double threshold = indicatorThreshold();
    const bool indicatorLow =
        collapse && std::isfinite(*collapse) && threshold > 0.0 && *collapse < threshold;
    const bool uniformityHigh =
        uniformity && std::isfinite(*uniformity) && *uniformity > kUniformityLimit;
    if (!indicatorLow && !uniformityHigh) {
        m_wasSpread = true;
        m_raised = false;
        m_dismissed = false;
        hide();
        return;
    }
    if (m_raised || (!m_wasSpread && step < kWarmupSteps))
        return;

    QStringList evidence;
    if (indicatorLow)
        evidence << tr("collapse indicator %1 &lt; %2 (spread embeddings give about %3)")
                        .arg(*collapse, 0, 'g', 3)
                        .arg(threshold, 0, 'g', 3)
                        .arg(10.0 * threshold, 0, 'g', 3);
    if (uniformityHigh)
        evidence << tr("uniformity %1 &gt; %2 (0 means collapsed)")
                        .arg(*uniformity, 0, 'g', 3)
                        .arg(kUniformityLimit);
    m_text->setText(
        tr("<b>%1</b> (step %2: %3).<br>"
           "Different images are being mapped to nearly the same point z, so the loss can no "
           "longer tell positives from negatives and the representation stops carrying "
           "information. <b>Try:</b> a lower learning rate; a higher temperature; stronger "
           "augmentations (crop, colour); for negative-free methods check the stop-gradient "
           "and predictor head; for contrastive losses check that negatives are present "
           "(batch size, queue or memory bank).")
            .arg(m_wasSpread ? tr("The embeddings are collapsing")
                             : tr("The embeddings have not spread out since the start"))
            .arg(step)
            .arg(evidence.join(tr("; "))));
    m_raised = true;
    if (!m_dismissed)
        show();

    const QString summary = tr("possible collapse at step %1: %2")
                                .arg(step)
                                .arg(evidence.join(QStringLiteral("; ")))
                                .replace(QStringLiteral("&lt;"), QStringLiteral("<"))
                                .replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    qCWarning(lcCurves).noquote() << summary;
    emit raised(summary);
}

void CollapseAlarm::reset() {
    m_wasSpread = false;
    m_raised = false;
    m_dismissed = false;
    hide();
}

}  // namespace crl::widgets
