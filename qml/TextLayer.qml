pragma ComponentBehavior: Bound
import QtQuick
import Inkroom.Ui

// The board's text items, drawn by Qt Quick so they stay sharp at every zoom.
Item {
    id: textLayer

    required property Whiteboard canvas
    property string editingId: ""

    Repeater {
        model: textLayer.canvas ? textLayer.canvas.textItems : null
        delegate: Item {
            id: textItem
            required property string itemId
            required property string text
            required property real boardX
            required property real boardY
            required property real fontSize
            required property color textColour
            required property bool pending
            required property bool selected
            required property bool lifted

            visible: textItem.itemId !== textLayer.editingId
            // Bindings can run while the layer is being torn down; fall back to a neutral view then.
            readonly property real zoom: textLayer.canvas ? textLayer.canvas.zoom : 1
            readonly property point origin: textLayer.canvas ? textLayer.canvas.origin : Qt.point(0, 0)
            readonly property point liftOffset: textLayer.canvas ? textLayer.canvas.liftOffset : Qt.point(0, 0)

            x: origin.x + (boardX + (lifted ? liftOffset.x : 0)) * zoom
            y: origin.y + (boardY + (lifted ? liftOffset.y : 0)) * zoom
            width: label.implicitWidth
            height: label.implicitHeight
            scale: zoom
            transformOrigin: Item.TopLeft

            Text {
                id: label
                text: textItem.text
                textFormat: Text.PlainText
                color: textItem.textColour
                font.pixelSize: textItem.fontSize
                opacity: textItem.pending ? 0.75 : 1
            }
            Rectangle {
                visible: textItem.selected
                anchors.fill: label
                anchors.margins: -4 / textItem.zoom
                color: "transparent"
                border.color: "#1a73e8"
                border.width: 1.5 / textItem.zoom
            }
        }
    }
}
