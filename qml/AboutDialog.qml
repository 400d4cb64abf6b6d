import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Ui

// What Inkroom is, its version, and its licence.
Dialog {
    id: dialog
    objectName: "aboutDialog"

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, (parent ? parent.width : 460) - 40)
    title: qsTr("About Inkroom")
    standardButtons: Dialog.Close
    footer: DialogButtons {}

    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        RowLayout {
            spacing: 16
            Image {
                source: "logo.png"
                sourceSize: Qt.size(64, 64)
                Layout.preferredWidth: 64
                Layout.preferredHeight: 64
                Accessible.ignored: true
            }
            ColumnLayout {
                spacing: 2
                Label {
                    text: qsTr("Inkroom")
                    font.pixelSize: 22
                    font.weight: Font.DemiBold
                }
                Label {
                    objectName: "aboutVersion"
                    text: qsTr("Version %1").arg(App.version)
                    opacity: 0.75
                }
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("Draw and chat together, live, on a local network. Nothing you make is lost: changes wait on disk until the room has them.")
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            opacity: 0.75
            text: qsTr("Free software under the GNU General Public License, version 3 or later.")
        }
    }
}
