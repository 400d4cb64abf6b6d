pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// Connection details: that the guarantee holds, live. Every value is SyncHealth's; this only lays them out.
Popup {
    id: panel
    objectName: "syncHealthPanel"

    required property SyncHealth health

    modal: false
    focus: true
    padding: 16
    width: Math.min(480, (parent ? parent.width : 480) - 24)
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    onOpened: health.active = true
    onClosed: health.active = false
    background: Rectangle {
        color: palette.window
        radius: 8
        border.color: palette.mid
    }

    component Fact: RowLayout {
        id: row
        required property string label
        required property string value
        property bool good: true
        property bool monospace: false
        Layout.fillWidth: true
        spacing: 12
        Label {
            text: row.label
            opacity: 0.75
            Layout.preferredWidth: 170
            Layout.alignment: Qt.AlignTop
            wrapMode: Text.WordWrap
        }
        TextEdit {
            Layout.fillWidth: true
            text: row.value
            readOnly: true
            selectByMouse: true
            textFormat: TextEdit.PlainText
            wrapMode: TextEdit.WrapAnywhere
            font.family: row.monospace ? "monospace" : font.family
            color: row.good ? palette.text : "#c62828"
            selectionColor: palette.highlight
            selectedTextColor: palette.highlightedText
            Accessible.name: row.label
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: qsTr("Connection details")
                font.weight: Font.DemiBold
                font.pixelSize: 16
            }
            Rectangle {
                implicitWidth: 10
                implicitHeight: 10
                radius: 5
                color: panel.health.online ? (panel.health.waiting > 0 ? "#f9a825" : "#2e7d32") : "#d32f2f"
            }
            Label {
                objectName: "syncState"
                text: !panel.health.online ? qsTr("Offline")
                      : panel.health.waiting > 0 || panel.health.behind > 0 ? qsTr("Catching up") : qsTr("In sync")
            }
        }
        Fact {
            objectName: "rttRow"
            label: qsTr("Round trip")
            value: panel.health.roundTripMs >= 0 ? qsTr("%1 ms").arg(panel.health.roundTripMs) : qsTr("unknown")
        }
        Fact {
            objectName: "appliedRow"
            label: qsTr("Last change applied")
            value: qsTr("%1 of the room's %2").arg(panel.health.lastApplied).arg(panel.health.roomHead)
        }
        Fact {
            objectName: "waitingRow"
            label: qsTr("Changes waiting")
            value: panel.health.waiting === 0 ? qsTr("none")
                   : qsTr("%n change(s), the oldest for %1 s", "", panel.health.waiting).arg(panel.health.oldestWaitingSeconds)
        }
        Fact {
            objectName: "journalRow"
            label: qsTr("Unsent changes kept")
            good: panel.health.journalOnDisk
            value: panel.health.journalOnDisk ? qsTr("on disk (they survive a crash)")
                   : panel.health.journalProblem.length > 0 ? qsTr("in memory only: %1").arg(panel.health.journalProblem)
                   : qsTr("in memory only")
        }
        Fact {
            objectName: "tlsRow"
            label: qsTr("Encryption")
            good: panel.health.encrypted || !panel.health.online
            value: panel.health.encrypted ? panel.health.tlsVersion : panel.health.online ? qsTr("not encrypted") : qsTr("not connected")
        }
        Fact {
            objectName: "fingerprintRow"
            visible: panel.health.serverFingerprint.length > 0
            label: qsTr("Server fingerprint")
            value: panel.health.serverFingerprint
            monospace: true
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 4
            Item { Layout.fillWidth: true }
            ActionButton {
                objectName: "copyReportButton"
                property bool copied: false
                text: copied ? qsTr("Copied") : qsTr("Copy all")
                onClicked: {
                    App.copyToClipboard(panel.health.report)
                    copied = true
                    copiedTimer.restart()
                }
                Timer {
                    id: copiedTimer
                    interval: 2500
                    onTriggered: parent.copied = false
                }
            }
            ActionButton {
                text: qsTr("Close")
                onClicked: panel.close()
            }
        }
    }
}
