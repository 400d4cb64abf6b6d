pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Inkroom.Ui

// A palette as one radio group: a single Tab stop (the chosen colour), the arrow keys move the choice as in any radio
// group, Home and End go to the ends. The chosen colour has a ring of its own colour and a tick; keyboard focus is a
// square in the highlight colour around it, so the two never look alike. Each colour says its name (tooltip, screen
// reader).
Flow {
    id: picker

    required property var colours
    property color current
    //! What a screen reader says for the group ("Your colour").
    property string groupName

    //! A colour was picked (click, Space, or an arrow key).
    signal picked(color colour)

    readonly property int currentIndex: {
        for (let i = 0; i < colours.length; ++i) {
            if (Qt.colorEqual(colours[i], current))
                return i
        }
        return -1
    }

    spacing: 4
    Accessible.role: Accessible.Grouping
    Accessible.name: groupName

    //! Pick the colour at index (clamped) and keep keyboard focus on it: focus moves first, so the swatch that stops
    //! being the Tab stop no longer has it.
    function pickAt(index: int, reason: int) {
        const i = Math.max(0, Math.min(colours.length - 1, index))
        const swatch = swatches.itemAt(i)
        if (swatch)
            swatch.forceActiveFocus(reason)
        picked(colours[i])
    }

    Repeater {
        id: swatches
        model: picker.colours
        delegate: AbstractButton {
            id: swatch
            required property color modelData
            required property int index
            readonly property bool chosen: picker.currentIndex === index
            readonly property string colourName: App.profile.colourName(modelData)

            objectName: "swatch" + index
            implicitWidth: 34
            implicitHeight: 34
            // The roving Tab stop: only the chosen colour (the first when none is) takes focus from Tab.
            focusPolicy: chosen || (picker.currentIndex < 0 && index === 0) ? Qt.StrongFocus : Qt.ClickFocus
            onClicked: picker.pickAt(index, Qt.MouseFocusReason)

            Keys.onLeftPressed: picker.pickAt(index - 1, Qt.TabFocusReason)
            Keys.onUpPressed: picker.pickAt(index - 1, Qt.TabFocusReason)
            Keys.onRightPressed: picker.pickAt(index + 1, Qt.TabFocusReason)
            Keys.onDownPressed: picker.pickAt(index + 1, Qt.TabFocusReason)
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_Home) {
                    picker.pickAt(0, Qt.TabFocusReason)
                    event.accepted = true
                } else if (event.key === Qt.Key_End) {
                    picker.pickAt(picker.colours.length - 1, Qt.TabFocusReason)
                    event.accepted = true
                }
            }

            ToolTip.visible: hovered || visualFocus
            ToolTip.delay: visualFocus ? 0 : 500
            ToolTip.text: colourName
            Accessible.role: Accessible.RadioButton
            Accessible.name: colourName
            Accessible.checkable: true
            Accessible.checked: chosen

            background: Item {
                // Keyboard focus: a rounded square in the highlight colour.
                Rectangle {
                    anchors.fill: parent
                    radius: 9
                    color: "transparent"
                    border.width: 2
                    border.color: swatch.palette.highlight
                    visible: swatch.visualFocus
                }
                // The choice: a ring in the colour itself, a gap, then the colour.
                Rectangle {
                    anchors.centerIn: parent
                    width: 26
                    height: 26
                    radius: 13
                    color: "transparent"
                    border.width: 2
                    border.color: swatch.modelData
                    visible: swatch.chosen
                }
                Rectangle {
                    anchors.centerIn: parent
                    width: swatch.chosen ? 18 : 24
                    height: width
                    radius: width / 2
                    color: swatch.modelData
                    border.width: 1
                    border.color: Qt.alpha(swatch.palette.windowText, 0.25)
                    Behavior on width { NumberAnimation { duration: 90 } }
                }
                Text {
                    anchors.centerIn: parent
                    visible: swatch.chosen
                    text: "✓"
                    font.pixelSize: 12
                    font.bold: true
                    color: swatch.modelData.hslLightness > 0.6 ? "black" : "white"
                    Accessible.ignored: true
                }
            }
        }
    }
}
