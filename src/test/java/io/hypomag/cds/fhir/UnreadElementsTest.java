package io.hypomag.cds.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnreadElementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode tree(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # what                                 | before                                                                                                   | after
            metadata and narrative of any resource | {'resourceType':'Observation','id':'o','meta':{'versionId':'2'},'text':{'status':'generated'},'status':'final'} | {'resourceType':'Observation','id':'o','status':'final'}
            a CodeableConcept's text stays         | {'resourceType':'Condition','code':{'text':'CKD'},'meta':{}}                                              | {'resourceType':'Condition','code':{'text':'CKD'}}
            the patient's identity                 | {'resourceType':'Patient','id':'p','name':[{'family':'X'}],'identifier':[{'value':'123'}],'telecom':[],'address':[],'birthDate':'1950-01-02','gender':'female'} | {'resourceType':'Patient','id':'p','birthDate':'1950-01-02','gender':'female'}
            a Bundle's paging links                | {'resourceType':'Bundle','type':'searchset','link':[{'relation':'next','url':'u'}],'total':0}          | {'resourceType':'Bundle','type':'searchset','total':0}
            links of other types stay              | {'resourceType':'Observation','link':'kept','status':'final'}                                            | {'resourceType':'Observation','link':'kept','status':'final'}
            not a resource: untouched              | {'meta':{'a':1},'text':'t'}                                                                               | {'meta':{'a':1},'text':'t'}
            """)
    void dropsOnlyTheListedElements(String what, String before, String after) throws Exception {
        ObjectNode node = tree(before);

        UnreadElements.drop(node);

        assertEquals(tree(after), node, what);
    }

    @Test
    void reachesEveryResourceInsideABundleAndContainedOnes() throws Exception {
        ObjectNode bundle = tree("""
                {'resourceType':'Bundle','meta':{},'link':[],'entry':[
                  {'fullUrl':'Patient/p','resource':{'resourceType':'Patient','name':[{'family':'X'}],'gender':'male'}},
                  {'resource':{'resourceType':'MedicationStatement','meta':{},'status':'active',
                    'contained':[{'resourceType':'Medication','id':'m','meta':{},'code':{'text':'omeprazole'}}]}},
                  {'resource':{'resourceType':'Bundle','meta':{},'entry':[{'resource':{'resourceType':'Observation','text':{}}}]}},
                  {'search':{'mode':'match'}},
                  'not an object'
                ]}""");

        UnreadElements.drop(bundle);

        assertEquals(tree("""
                {'resourceType':'Bundle','entry':[
                  {'fullUrl':'Patient/p','resource':{'resourceType':'Patient','gender':'male'}},
                  {'resource':{'resourceType':'MedicationStatement','status':'active',
                    'contained':[{'resourceType':'Medication','id':'m','code':{'text':'omeprazole'}}]}},
                  {'resource':{'resourceType':'Bundle','entry':[{'resource':{'resourceType':'Observation'}}]}},
                  {'search':{'mode':'match'}},
                  'not an object'
                ]}"""), bundle);
    }
}
