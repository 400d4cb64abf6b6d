pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// The room's whole history, fetched from the server page by page while it shows what is here already: the board at
// any moment, played back at 1x to 16x, who did what and when. It only shows: the live board and the room are never
// changed by it.
Popup {
    id: panel
    objectName: "historyPanel"

    required property ReplayModel replay
    //! "Export this moment" asks the page to open the export dialog on the replay.
    signal exportRequested()

    modal: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    onAboutToShow: panel.replay.fetchWholeHistory()
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
                objectName: "historySummary"
                Layout.fillWidth: true
                text: panel.replay.count === 0
                    ? (panel.replay.wholeHistory ? qsTr("Nothing has happened on this board yet.")
                                                 : qsTr("Nothing has happened on the board since you joined."))
                    : qsTr("%n change(s) · %1 to %2", "", panel.replay.count)
                          .arg(panel.replay.startTime.toLocaleString(Qt.locale(), "d MMM HH:mm"))
                          .arg(panel.replay.endTime.toLocaleString(Qt.locale(), "d MMM HH:mm"))
                opacity: 0.7
                elide: Text.ElideRight
            }
            BusyIndicator {
                visible: panel.replay.fetching
                running: visible
                implicitWidth: 24
                implicitHeight: 24
            }
            Label {
                objectName: "historyFetchState"
                textFormat: Text.PlainText
                color: panel.replay.fetchProblem.length > 0 ? "#b3261e" : palette.text
                text: panel.replay.fetching
                      ? qsTr("Loading the room's history… %1%").arg(Math.round(panel.replay.fetchProgress * 100))
                      : panel.replay.fetchProblem.length > 0
                        ? qsTr("Only what you saw since you joined: %1").arg(panel.replay.fetchProblem)
                        : panel.replay.wholeHistory ? qsTr("The whole history") : ""
                opacity: 0.8
            }
            ActionButton {
                objectName: "historyExportMoment"
                text: qsTr("Export this moment…")
                onClicked: panel.exportRequested()
            }
            ActionButton {
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
            ActionButton {
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
                text: panel.replay.position === 0 ? panel.replay.action
                    : qsTr("%1 · %2 %3").arg(panel.replay.time.toLocaleString(Qt.locale(), "d MMM HH:mm:ss"))
                          .arg(panel.replay.author).arg(panel.replay.action)
            }
        }
    }
}
