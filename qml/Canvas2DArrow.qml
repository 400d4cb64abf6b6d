import QtQuick
import QtQuick.Shapes

// A small mouse-pointer arrow.
Shape {
    id: arrow
    property color colour: "black"
    width: 14
    height: 18
    ShapePath {
        fillColor: arrow.colour
        strokeColor: "white"
        strokeWidth: 1.5
        startX: 0; startY: 0
        PathLine { x: 0; y: 15 }
        PathLine { x: 4; y: 11 }
        PathLine { x: 7; y: 17 }
        PathLine { x: 9.5; y: 16 }
        PathLine { x: 6.5; y: 10 }
        PathLine { x: 12; y: 10 }
        PathLine { x: 0; y: 0 }
    }
}
