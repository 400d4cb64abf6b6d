pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Every key of the room on one sheet (F1 or ?), grouped as the menus are.
Dialog {
    id: sheet
    objectName: "shortcutSheet"

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(760, (parent ? parent.width : 760) - 40)
    height: Math.min(implicitHeight, (parent ? parent.height : 640) - 40)
    title: qsTr("Keyboard shortcuts")
    standardButtons: Dialog.Close
    footer: DialogButtons {}

    //! [keys, tool name] of every tool: the tool bar's toolKeys.
    property var toolKeys: []
    //! Groups of [keys, what they do].
    readonly property var groups: [
        { title: qsTr("Tools"), rows: sheet.toolKeys.concat([[qsTr("Space + drag"), qsTr("Move the view")]]) },
        { title: qsTr("Edit"), rows: [
            ["Ctrl+Z", qsTr("Undo")], ["Ctrl+Shift+Z, Ctrl+Y", qsTr("Redo")], ["Ctrl+X", qsTr("Cut")],
            ["Ctrl+C", qsTr("Copy")], ["Ctrl+V", qsTr("Paste")], ["Ctrl+D", qsTr("Duplicate")],
            [qsTr("Del"), qsTr("Delete the selection")],
            [qsTr("Arrow keys"), qsTr("Nudge the selection (Shift: further)")],
            ["Ctrl+A", qsTr("Select all")],
            ["Ctrl+Shift+]", qsTr("Bring to front")], ["Ctrl+Shift+[", qsTr("Send to back")]] },
        { title: qsTr("View"), rows: [
            ["Ctrl++", qsTr("Zoom in")], ["Ctrl+-", qsTr("Zoom out")], ["Ctrl+0", qsTr("Actual size")],
            ["Shift+1", qsTr("Fit the board")], ["Ctrl+'", qsTr("Show or hide the grid")],
            [qsTr("Esc"), qsTr("Stop following")]] },
        { title: qsTr("Room and board"), rows: [
            ["Ctrl+I", qsTr("Invite people")], ["Ctrl+Shift+I", qsTr("Add an image")],
            ["Ctrl+Shift+E", qsTr("Export")], ["Ctrl+Shift+C", qsTr("Copy the board as an image")],
            ["Ctrl+Shift+H", qsTr("History")], ["Ctrl+W", qsTr("Leave the room")], ["Ctrl+Q", qsTr("Quit")],
            ["F1, ?", qsTr("This sheet")]] }
    ]

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth
        GridLayout {
            width: scroll.availableWidth
            columns: width > 560 ? 2 : 1
            columnSpacing: 32
            rowSpacing: 16
            Repeater {
                model: sheet.groups
                delegate: ColumnLayout {
                    id: group
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    spacing: 4
                    Label {
                        text: group.modelData.title
                        font.weight: Font.DemiBold
                        Layout.bottomMargin: 2
                    }
                    Repeater {
                        model: group.modelData.rows
                        delegate: RowLayout {
                            id: row
                            required property var modelData
                            Layout.fillWidth: true
                            spacing: 12
                            Label {
                                Layout.fillWidth: true
                                text: row.modelData[1]
                                elide: Text.ElideRight
                            }
                            Label {
                                text: row.modelData[0]
                                font.family: "monospace"
                                padding: 2
                                leftPadding: 6
                                rightPadding: 6
                                background: Rectangle {
                                    radius: 4
                                    color: "transparent"
                                    border.color: palette.mid
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
