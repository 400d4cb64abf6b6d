pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// Export the board (or the selection) as PNG, SVG or PDF, or copy it as a picture. The writing happens in C++
// (BoardExporter) on a worker thread. The file is named in a field: Qt 6.4's own QML FileDialog cannot save a new
// file without a platform theme (its accept button stays an "Open" for existing files).
Item {
    id: root

    required property Whiteboard canvas
    property string roomName
    //! Set while exporting a moment of the history (the replay's position) rather than the live board.
    property ReplayModel moment: null
    //! Tells people how an export or copy went.
    signal notice(string message)

    function openMoment(replay: ReplayModel) {
        open()
        root.moment = replay
    }
    function open() {
        root.moment = null
        pathField.text = exporter.suggestedPath(root.roomName, dialog.format)
        dialog.open()
        pathField.forceActiveFocus()
    }
    function copyImage() {
        if (!exporter.copyImage(dialog.selectionOnly, 2))
            root.notice(qsTr("There is nothing on the board to copy."))
    }

    BoardExporter {
        id: exporter
        canvas: root.canvas
        replay: root.moment
        onFinished: (ok, message) => root.notice(message)
    }

    Dialog {
        id: dialog
        objectName: "exportDialog"
        parent: Overlay.overlay
        readonly property Whiteboard canvas: root.canvas
        readonly property int format: formatBox.currentIndex === 0 ? BoardExporter.Png
                                    : formatBox.currentIndex === 1 ? BoardExporter.Svg : BoardExporter.Pdf
        readonly property bool selectionOnly: !root.moment && selectionBox.checked && canvas.selectionCount > 0
        readonly property var scales: [1, 2, 3, 4]
        readonly property var papers: [BoardExporter.FittedPage, BoardExporter.A4, BoardExporter.A3, BoardExporter.Letter]

        title: root.moment ? qsTr("Export this moment (%1)").arg(root.moment.time.toLocaleString(Qt.locale(), Locale.ShortFormat))
                           : qsTr("Export the board")
        onClosed: root.moment = null // the exporter took its items when it started
        modal: true
        anchors.centerIn: parent
        standardButtons: Dialog.Cancel
        footer: DialogButtons {}

        GridLayout {
            columns: 2
            columnSpacing: 12
            rowSpacing: 8

            Label { text: qsTr("Format") }
            ComboBox {
                id: formatBox
                objectName: "exportFormat"
                Layout.fillWidth: true
                model: [qsTr("PNG picture"), qsTr("SVG drawing (vector)"), qsTr("PDF document (vector)")]
                onActivated: pathField.text = exporter.withFormat(pathField.text, dialog.format)
            }

            // A picture's pixels per board unit, or the print scale of PDF pages (a fitted page and SVG have none).
            Label { text: qsTr("Scale"); visible: scaleBox.visible }
            ComboBox {
                id: scaleBox
                visible: dialog.format === BoardExporter.Png || (dialog.format === BoardExporter.Pdf && paperBox.currentIndex > 0)
                Layout.fillWidth: true
                model: dialog.scales.map((s) => s === 1 ? qsTr("100 %") : qsTr("%1 %").arg(s * 100))
            }

            Label { text: qsTr("Pages"); visible: dialog.format === BoardExporter.Pdf }
            ComboBox {
                id: paperBox
                visible: dialog.format === BoardExporter.Pdf
                Layout.fillWidth: true
                model: [qsTr("One page that fits the board"), qsTr("A4 pages"), qsTr("A3 pages"), qsTr("Letter pages")]
            }

            Item { visible: paperBox.visible && paperBox.currentIndex > 0; implicitWidth: 1 }
            RowLayout {
                visible: paperBox.visible && paperBox.currentIndex > 0
                CheckBox { id: landscapeBox; text: qsTr("Landscape") }
                Label {
                    readonly property int pages: dialog.visible && parent.visible
                        ? exporter.pageCount(dialog.papers[paperBox.currentIndex], landscapeBox.checked,
                                             dialog.scales[scaleBox.currentIndex], dialog.selectionOnly) : 0
                    text: qsTr("%n page(s)", "", pages)
                    opacity: 0.7
                }
            }

            Item { implicitWidth: 1; visible: selectionBox.visible }
            CheckBox {
                id: selectionBox
                visible: !root.moment
                objectName: "exportSelectionOnly"
                text: dialog.canvas.selectionCount === 0 ? qsTr("Only the selection (nothing is selected)")
                    : qsTr("Only the selection (%n item(s))", "", dialog.canvas.selectionCount)
                enabled: dialog.canvas.selectionCount > 0
            }

            Label { text: qsTr("File") }
            TextField {
                id: pathField
                objectName: "exportPath"
                Layout.fillWidth: true
                Layout.minimumWidth: 380
                selectByMouse: true
                onAccepted: exportButton.clicked()
            }

            Item { implicitWidth: 1; visible: replaceNote.visible }
            Label {
                id: replaceNote
                visible: dialog.visible && exporter.fileExists(pathField.text)
                text: qsTr("A file of that name exists: exporting replaces it.")
                color: "#b3261e"
            }

            Item { implicitWidth: 1 }
            RowLayout {
                spacing: 8
                ActionButton {
                    id: exportButton
                    objectName: "exportButton"
                    text: replaceNote.visible ? qsTr("Replace") : qsTr("Export")
                    highlighted: true
                    enabled: !exporter.busy && pathField.text.trim().length > 0
                    onClicked: {
                        if (exporter.exportTo(pathField.text, dialog.format, dialog.scales[scaleBox.currentIndex],
                                              dialog.papers[paperBox.currentIndex], landscapeBox.checked,
                                              dialog.selectionOnly))
                            dialog.close()
                    }
                }
                ActionButton {
                    text: qsTr("Copy as image")
                    enabled: !exporter.busy
                    onClicked: {
                        root.copyImage()
                        dialog.close()
                    }
                }
                BusyIndicator { running: exporter.busy; visible: running; implicitHeight: 24; implicitWidth: 24 }
            }
        }
    }
}
