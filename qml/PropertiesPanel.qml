pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Inkroom.Ui

// The properties panel: the style of the selection, or of what the current tool draws (StyleProperties decides
// which, and does the changing). Only what applies is shown; "Mixed" where the selected items differ.
Pane {
    id: panel

    required property Whiteboard canvas
    //! The tallest the panel may be; past it, it scrolls.
    property real maximumHeight: 10000
    readonly property StyleProperties properties: props

    visible: props.active
    padding: 8
    implicitWidth: 212
    implicitHeight: Math.min(column.implicitHeight + topPadding + bottomPadding, maximumHeight)
    background: Rectangle {
        color: panel.palette.window
        radius: 8
        border.color: panel.palette.mid
    }
    Accessible.role: Accessible.Pane
    Accessible.name: props.forSelection ? qsTr("Style of the selection") : qsTr("Style of the tool")

    StyleProperties {
        id: props
        objectName: "styleProperties"
        canvas: panel.canvas
    }

    // A section's title, with "Mixed" beside it when the selection differs.
    component SectionTitle: RowLayout {
        id: title
        property string text
        property bool mixed
        Layout.fillWidth: true
        Layout.topMargin: 4
        spacing: 6
        Label {
            text: title.text
            font.pixelSize: 12
            font.weight: Font.DemiBold
            color: panel.palette.windowText
        }
        Label {
            visible: title.mixed
            text: qsTr("Mixed")
            font.pixelSize: 11
            font.italic: true
            color: panel.palette.windowText
            opacity: 0.7
        }
    }

    // A colour to choose: round, ringed when chosen, named in its tooltip. The colours of a row are one radio group:
    // one Tab stop (the chosen colour, else the first), the arrow keys move the choice among them.
    component Swatch: AbstractButton {
        id: swatch
        property color colour
        property string name
        property bool chosen
        //! This one takes focus from Tab (see above).
        property bool tabStop: chosen
        implicitWidth: 24
        implicitHeight: 24
        focusPolicy: tabStop ? Qt.TabFocus : Qt.NoFocus
        checkable: true
        checked: chosen
        Accessible.role: Accessible.RadioButton

        //! Choose the colour delta places along the row, and take the focus with it.
        function step(delta: int) {
            const row = []
            for (let i = 0; i < parent.children.length; ++i) {
                if (parent.children[i].objectName === objectName)
                    row.push(parent.children[i])
            }
            const next = row[row.indexOf(swatch) + delta]
            if (!next)
                return
            next.forceActiveFocus(Qt.TabFocusReason)
            next.clicked()
        }
        Keys.onLeftPressed: step(-1)
        Keys.onUpPressed: step(-1)
        Keys.onRightPressed: step(1)
        Keys.onDownPressed: step(1)
        //! What its tooltip says (tests read it: attached properties are not reachable from outside).
        readonly property string toolTipText: ToolTip.text
        Accessible.name: name
        ToolTip.visible: hovered
        ToolTip.delay: 400
        ToolTip.text: name
        background: Rectangle {
            radius: width / 2
            color: swatch.colour
            border.width: swatch.chosen ? 3 : 1
            border.color: swatch.chosen ? panel.palette.highlight : Qt.darker(swatch.colour, 1.5)
            // The focus ring sits outside, apart from the chosen ring.
            Rectangle {
                anchors.fill: parent
                anchors.margins: -3
                radius: width / 2
                color: "transparent"
                visible: swatch.visualFocus
                border.width: 1.5
                border.color: panel.palette.text
            }
        }
    }

    ColorDialog {
        id: colourDialog
        property bool forFill
        title: forFill ? qsTr("Fill colour") : qsTr("Stroke colour")
        onAccepted: forFill ? props.setFill(selectedColor) : props.setStrokeColour(selectedColor)
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            id: column
            width: parent.width
            spacing: 6

            // ---- stroke colour ----
            SectionTitle {
                visible: props.hasStrokeColour
                text: qsTr("Stroke")
                mixed: props.strokeColourMixed
            }
            Flow {
                id: strokeRow
                visible: props.hasStrokeColour
                Layout.fillWidth: true
                spacing: 5
                readonly property bool anyChosen: !props.strokeColourMixed
                    && props.strokeSwatches.some(swatch => Qt.colorEqual(props.strokeColour, swatch.value))
                Repeater {
                    model: props.strokeSwatches
                    delegate: Swatch {
                        required property var modelData
                        required property int index
                        objectName: "strokeSwatch"
                        colour: modelData.value
                        name: modelData.name
                        chosen: !props.strokeColourMixed && Qt.colorEqual(props.strokeColour, modelData.value)
                        tabStop: chosen || (index === 0 && !strokeRow.anyChosen)
                        onClicked: props.setStrokeColour(modelData.value)
                    }
                }
                ToolIconButton {
                    objectName: "customStrokeColour"
                    implicitWidth: 26
                    implicitHeight: 26
                    padding: 2
                    label: qsTr("Another colour…")
                    iconName: "color-picker"
                    fallback: "palette"
                    onClicked: {
                        colourDialog.forFill = false
                        colourDialog.selectedColor = props.strokeColour
                        colourDialog.open()
                    }
                }
            }

            // ---- fill ----
            SectionTitle {
                visible: props.hasFill
                text: qsTr("Fill")
                mixed: props.fillMixed
            }
            Flow {
                id: fillRow
                visible: props.hasFill
                Layout.fillWidth: true
                spacing: 5
                readonly property bool anyChosen: !props.fillMixed && props.filled
                    && props.fillSwatches.some(swatch => Qt.colorEqual(props.fill, swatch.value))
                ToolIconButton {
                    objectName: "noFill"
                    implicitWidth: 26
                    implicitHeight: 26
                    padding: 2
                    label: qsTr("No fill")
                    fallback: "fill-none"
                    checkable: true
                    checked: !props.fillMixed && !props.filled
                    onClicked: props.clearFill()
                }
                Repeater {
                    model: props.fillSwatches
                    delegate: Swatch {
                        required property var modelData
                        required property int index
                        objectName: "fillSwatch"
                        colour: modelData.value
                        name: modelData.name
                        chosen: !props.fillMixed && props.filled && Qt.colorEqual(props.fill, modelData.value)
                        tabStop: chosen || (index === 0 && !fillRow.anyChosen)
                        onClicked: props.setFill(modelData.value)
                    }
                }
                ToolIconButton {
                    objectName: "customFill"
                    implicitWidth: 26
                    implicitHeight: 26
                    padding: 2
                    label: qsTr("Another fill colour…")
                    iconName: "color-picker"
                    fallback: "palette"
                    onClicked: {
                        colourDialog.forFill = true
                        colourDialog.selectedColor = props.filled ? props.fill : "#a5d8ff"
                        colourDialog.open()
                    }
                }
            }

            // ---- stroke width ----
            SectionTitle {
                visible: props.hasStrokeWidth
                text: qsTr("Stroke width")
                mixed: props.strokeWidthMixed
            }
            RowLayout {
                visible: props.hasStrokeWidth
                spacing: 4
                Repeater {
                    model: props.strokeWidths
                    delegate: ToolButton {
                        id: widthChoice
                        required property var modelData
                        objectName: "strokeWidth" + modelData.value
                        implicitWidth: 38
                        implicitHeight: 30
                        checkable: true
                        focusPolicy: Qt.TabFocus
                        checked: !props.strokeWidthMixed && props.strokeWidth === modelData.value
                        onClicked: props.setStrokeWidth(modelData.value)
                        Accessible.name: modelData.name
                        ToolTip.visible: hovered
                        ToolTip.delay: 400
                        ToolTip.text: modelData.name
                        background: Rectangle {
                            radius: 6
                            color: widthChoice.checked ? panel.palette.highlight : "transparent"
                            border.width: widthChoice.visualFocus ? 2 : 1
                            border.color: widthChoice.visualFocus ? panel.palette.highlight : panel.palette.mid
                        }
                        contentItem: Item {
                            Rectangle {
                                anchors.centerIn: parent
                                width: 22
                                height: Math.min(12, widthChoice.modelData.value * 0.75)
                                radius: height / 2
                                color: widthChoice.checked ? panel.palette.highlightedText : panel.palette.buttonText
                            }
                        }
                    }
                }
            }

            // ---- dash ----
            SectionTitle {
                visible: props.hasDash
                text: qsTr("Line style")
                mixed: props.dashMixed
            }
            RowLayout {
                visible: props.hasDash
                spacing: 4
                Repeater {
                    model: [
                        { value: StyleProperties.Solid, name: qsTr("Solid"), icon: "dash-solid" },
                        { value: StyleProperties.Dashed, name: qsTr("Dashed"), icon: "dash-dashed" },
                        { value: StyleProperties.Dotted, name: qsTr("Dotted"), icon: "dash-dotted" }
                    ]
                    delegate: ToolIconButton {
                        required property var modelData
                        objectName: "dash" + modelData.icon
                        label: modelData.name
                        fallback: modelData.icon
                        checkable: true
                        checked: !props.dashMixed && props.dash === modelData.value
                        onClicked: props.setDash(modelData.value)
                    }
                }
            }

            // ---- arrow heads ----
            SectionTitle {
                visible: props.hasHeads
                text: qsTr("Arrow heads")
                mixed: props.headsMixed
            }
            RowLayout {
                visible: props.hasHeads
                spacing: 4
                Repeater {
                    model: [
                        { value: StyleProperties.NoHeads, name: qsTr("No arrow heads"), icon: "heads-none" },
                        { value: StyleProperties.EndHead, name: qsTr("Arrow head at the end"), icon: "heads-end" },
                        { value: StyleProperties.StartHead, name: qsTr("Arrow head at the start"), icon: "heads-start" },
                        { value: StyleProperties.BothHeads, name: qsTr("Arrow heads at both ends"), icon: "heads-both" }
                    ]
                    delegate: ToolIconButton {
                        required property var modelData
                        objectName: modelData.icon
                        label: modelData.name
                        fallback: modelData.icon
                        checkable: true
                        checked: !props.headsMixed && props.heads === modelData.value
                        onClicked: props.setHeads(modelData.value)
                    }
                }
            }

            // ---- font size ----
            SectionTitle {
                visible: props.hasFontSize
                text: qsTr("Font size")
                mixed: props.fontSizeMixed
            }
            RowLayout {
                visible: props.hasFontSize
                spacing: 4
                Repeater {
                    model: props.fontSizes
                    delegate: ToolButton {
                        id: sizeChoice
                        required property var modelData
                        required property int index
                        objectName: "fontSize" + modelData.value
                        implicitWidth: 38
                        implicitHeight: 30
                        checkable: true
                        focusPolicy: Qt.TabFocus
                        checked: !props.fontSizeMixed && props.fontSize === modelData.value
                        onClicked: props.setFontSize(modelData.value)
                        text: ["S", "M", "L", "XL"][index]
                        Accessible.name: modelData.name
                        ToolTip.visible: hovered
                        ToolTip.delay: 400
                        ToolTip.text: modelData.name
                        background: Rectangle {
                            radius: 6
                            color: sizeChoice.checked ? panel.palette.highlight : "transparent"
                            border.width: sizeChoice.visualFocus ? 2 : 1
                            border.color: sizeChoice.visualFocus ? panel.palette.highlight : panel.palette.mid
                        }
                        contentItem: Label {
                            text: sizeChoice.text
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                            color: sizeChoice.checked ? panel.palette.highlightedText : panel.palette.buttonText
                        }
                    }
                }
            }

            // ---- opacity ----
            SectionTitle {
                visible: props.hasOpacity
                text: qsTr("Opacity")
                mixed: props.opacityMixed
            }
            RowLayout {
                visible: props.hasOpacity
                Layout.fillWidth: true
                Slider {
                    id: opacitySlider
                    objectName: "opacitySlider"
                    Layout.fillWidth: true
                    from: 10
                    to: 100
                    stepSize: 10
                    snapMode: Slider.SnapAlways
                    focusPolicy: Qt.TabFocus
                    value: Math.round(props.opacity * 100)
                    Accessible.name: qsTr("Opacity")
                    // One change when the handle is let go (or a key moved it), not one for every step of a drag.
                    onPressedChanged: if (!pressed) props.setOpacity(value / 100)
                    Keys.onReleased: (event) => {
                        if (event.key === Qt.Key_Left || event.key === Qt.Key_Right)
                            props.setOpacity(value / 100)
                    }
                }
                Label {
                    text: qsTr("%1%").arg(Math.round(opacitySlider.value))
                    Layout.preferredWidth: 36
                    horizontalAlignment: Text.AlignRight
                }
            }
        }
    }
}
