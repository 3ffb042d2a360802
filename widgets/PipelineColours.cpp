#include "widgets/PipelineColours.h"

namespace crl::widgets {

QColor familyColour(graph::Family family) {
    switch (family) {
        case graph::Family::Data:
            return QColor(0x45, 0x5a, 0x64);
        case graph::Family::Similarity:
            return QColor(0x00, 0x79, 0x6b);
        case graph::Family::Encoder:
            return QColor(0x30, 0x3f, 0x9f);
        case graph::Family::Head:
            return QColor(0x6a, 0x1b, 0x9a);
        case graph::Family::Loss:
            return QColor(0xad, 0x14, 0x57);
        case graph::Family::Optimiser:
            return QColor(0x5d, 0x40, 0x37);
        case graph::Family::Monitor:
            return QColor(0x55, 0x8b, 0x2f);
    }
    return Qt::darkGray;
}

QColor portColour(graph::PortType type) {
    switch (type) {
        case graph::PortType::Images:
            return QColor(0x26, 0xa6, 0x9a);
        case graph::PortType::Labels:
            return QColor(0xff, 0x8f, 0x00);
        case graph::PortType::Views:
            return QColor(0x1e, 0x88, 0xe5);
        case graph::PortType::Representation:
            return QColor(0x8e, 0x24, 0xaa);
        case graph::PortType::Embedding:
            return QColor(0x43, 0xa0, 0x47);
        case graph::PortType::Loss:
            return QColor(0xe5, 0x39, 0x35);
    }
    return Qt::gray;
}

QColor unknownColour() {
    return QColor(0xc6, 0x28, 0x28);
}

}  // namespace crl::widgets
