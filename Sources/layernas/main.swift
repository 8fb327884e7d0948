import Foundation
import NASCommands

LayerNAS.prepareProcess()
exit(await LayerNAS.runMain())
