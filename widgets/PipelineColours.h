#pragma once
// The colours that identify node families and port types wherever a pipeline is drawn (view,
// palette, inspector), so a user learns one code: a purple port carries representations v.

#include <QColor>

#include "graph/NodeCatalogue.h"

namespace crl::widgets {

/// Header colour of a node box of `family`.
QColor familyColour(graph::Family family);

/// Colour of a port and of the edges leaving it.
QColor portColour(graph::PortType type);

/// Colour for anything the catalogue does not know (an unknown type, port or parameter).
QColor unknownColour();

}  // namespace crl::widgets
