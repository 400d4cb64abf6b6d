pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// The room's history since this client joined: the board at any moment, played back at 1x to 16x, who did what and
// when. It only shows: the live board and the room are never changed by it.
Popup {
    id: panel
    objectName: "historyPanel"

    required property ReplayModel replay
    //! "Export this moment" asks the page to open the export dialog on the replay.
    signal exportRequested()

    modal: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    onClosed: panel.replay.pause()

    background: Rectangle { color: "#f4f4f1"; border.color: "#c8c8c0" }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 10
            Label {
                text: qsTr("History")
                font.weight: Font.DemiBold
            }
            Label {
                Layout.fillWidth: true
                text: panel.replay.count === 0 ? qsTr("Nothing has happened on the board since you joined.")
                    : qsTr("%1 changes since you joined · %2 to %3").arg(panel.replay.count)
                          .arg(panel.replay.startTime.toLocaleTimeString(Qt.locale(), Locale.ShortFormat))
                          .arg(panel.replay.endTime.toLocaleTimeString(Qt.locale(), Locale.ShortFormat))
                opacity: 0.7
                elide: Text.ElideRight
            }
            Button {
                objectName: "historyExportMoment"
                text: qsTr("Export this moment…")
                onClicked: panel.exportRequested()
            }
            Button {
                text: qsTr("Back to the live board")
                highlighted: true
                onClicked: panel.close()
            }
        }

        ReplayPreview {
            objectName: "replayPreview"
            Layout.fillWidth: true
            Layout.fillHeight: true
            replay: panel.replay
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 10
            spacing: 8
            Button {
                objectName: "historyPlay"
                text: panel.replay.playing ? qsTr("Pause") : qsTr("Play")
                enabled: panel.replay.count > 0
                onClicked: panel.replay.playing ? panel.replay.pause() : panel.replay.play()
            }
            ComboBox {
                id: speedBox
                objectName: "historySpeed"
                readonly property var speeds: [1, 2, 4, 8, 16]
                model: speeds.map((s) => s + "×")
                currentIndex: Math.max(0, speeds.indexOf(panel.replay.speed))
                onActivated: (index) => panel.replay.speed = speeds[index]
                implicitWidth: 80
            }
            Slider {
                objectName: "historySlider"
                Layout.fillWidth: true
                from: 0
                to: Math.max(1, panel.replay.count)
                stepSize: 1
                snapMode: Slider.SnapAlways
                enabled: panel.replay.count > 0
                value: panel.replay.position
                onMoved: panel.replay.position = Math.round(value)
                Accessible.name: qsTr("Moment in the history")
            }
            Label {
                Layout.preferredWidth: 360
                elide: Text.ElideRight
                textFormat: Text.PlainText
                text: panel.replay.position === 0 ? qsTr("The board when you joined")
                    : qsTr("%1 · %2 %3").arg(panel.replay.time.toLocaleTimeString(Qt.locale(), "HH:mm:ss"))
                          .arg(panel.replay.author).arg(panel.replay.action)
            }
        }
    }
}
